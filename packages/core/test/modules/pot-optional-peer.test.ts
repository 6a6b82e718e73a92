import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const CORE = resolve(HERE, '..', '..');

describe('the sandbox without quickjs-emscripten (an optional peer dependency)', () => {
  it('fails on first use with SANDBOX_ERROR saying what to install', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--conditions=@dspy-ts/source',
        '--import',
        'tsx',
        '--import',
        join(HERE, 'fixtures', 'no-quickjs.mjs'),
        join(HERE, 'fixtures', 'run-sandbox.mjs'),
        join(CORE, 'src', 'index.ts'),
      ],
      { cwd: CORE, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { code?: string; message?: string; fix?: string };
    expect(out.code).toBe('SANDBOX_ERROR');
    expect(out.message).toContain('quickjs-emscripten');
    expect(out.fix).toContain('npm install quickjs-emscripten');
  }, 60_000);
});
