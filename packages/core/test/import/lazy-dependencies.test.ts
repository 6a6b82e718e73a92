import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..', '..', '..');

/** Imports `@dspy-ts/core` from source in a fresh Node process and lists the packages it loaded. */
function packagesLoadedByCore(): string[] {
  const r = spawnSync(
    process.execPath,
    [
      '--conditions=@dspy-ts/source',
      '--import',
      'tsx',
      join(REPO, 'scripts', 'bench', 'codegen', 'child-import.mjs'),
      join(REPO, 'packages', 'core', 'src', 'index.ts'),
      '--packages',
    ],
    { cwd: REPO, encoding: 'utf8', timeout: 60_000 },
  );
  if (r.status !== 0) throw new Error(`importing @dspy-ts/core failed (${r.status}):\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '{}';
  return (JSON.parse(line) as { packages: string[] }).packages;
}

describe('importing @dspy-ts/core', () => {
  it('loads no heavy dependency until it is used', () => {
    const loaded = packagesLoadedByCore();
    // The probe does see the packages core needs at once: ajv validates every prediction and is
    // a static import, so that an app's bundler includes it (the published dist bundles it in).
    expect(loaded).toContain('reflect-metadata');
    expect(loaded).toContain('ajv');
    for (const heavy of ['ts-morph', '@ts-morph/common', 'typescript', 'quickjs-emscripten', 'openai']) {
      expect(loaded, `${heavy} was loaded by importing @dspy-ts/core`).not.toContain(heavy);
    }
  }, 90_000);
});
