import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CORE = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('core\'s "sideEffects" list', () => {
  it('names every source module imported for its effect alone, so bundlers keep it', async () => {
    const pkg = JSON.parse(await readFile(join(CORE, 'package.json'), 'utf8')) as { sideEffects: string[] };
    const listed = new Set(pkg.sideEffects);
    const bare: string[] = [];
    const src = join(CORE, 'src');
    for (const entry of await readdir(src, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const file = join(entry.parentPath, entry.name);
      const text = await readFile(file, 'utf8');
      for (const m of text.matchAll(/^import '(\.[^']+)\.js';$/gm)) {
        const target = resolve(dirname(file), `${m[1]}.ts`);
        bare.push(`./${relative(CORE, target)}`);
      }
    }
    expect(bare).toContain('./src/modules/method-runner.ts');
    for (const path of bare) expect(listed, `${path} is imported for its effect`).toContain(path);
  });
});
