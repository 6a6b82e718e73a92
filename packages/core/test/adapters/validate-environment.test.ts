import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const CORE = resolve(HERE, '..', '..');

describe('compileSchema where the environment, not the schema, is at fault', () => {
  it('says that code generation is disallowed, and does not blame the field type', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--disallow-code-generation-from-strings',
        '--conditions=@dspy-ts/source',
        '--import',
        'tsx',
        join(HERE, 'fixtures', 'compile-schema.mjs'),
        join(CORE, 'src', 'internal.ts'),
      ],
      { cwd: CORE, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    // ajv's own logger stays quiet: the error says it all.
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { code: string; message: string; fix: string };
    expect(out.code).toBe('INTERNAL');
    expect(out.message).toContain('Code generation from strings disallowed');
    expect(out.message).not.toContain('field type');
    expect(out.fix).toContain('allow code generation from strings');
  }, 60_000);
});
