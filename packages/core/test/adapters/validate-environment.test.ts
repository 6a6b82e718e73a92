import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const CORE = resolve(HERE, '..', '..');

describe('compileSchema where the runtime forbids code generation from strings', () => {
  it('validates by interpreting the schema (as on Cloudflare Workers), with quiet ajv and readable errors', () => {
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
    // ajv's own logger stays quiet: the fallback is silent.
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as {
      before?: { code?: string; fix?: string };
      compiled?: boolean;
      good?: unknown;
      bad?: { ok: boolean; errors: string[] };
    };
    // ajv is loaded on first need: a synchronous compile before that says how to load it.
    expect(out.before?.code).toBe('NOT_LOADED');
    expect(out.before?.fix).toMatch(/loadSchemaCompiler\(\)/);
    expect(out.compiled).toBe(true);
    expect(out.good).toEqual({ ok: true });
    expect(out.bad?.ok).toBe(false);
    expect(out.bad?.errors.join(' ')).toMatch(/\(value\).*0/);
  }, 60_000);
});
