import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..', '..', '..');

/** Imports an entry of `@dspy-ts/core` from source in a fresh Node process and lists the packages it loaded. */
function packagesLoadedByCore(entry: 'index.ts' | 'node.ts'): string[] {
  const r = spawnSync(
    process.execPath,
    [
      '--conditions=@dspy-ts/source',
      '--import',
      'tsx',
      join(REPO, 'scripts', 'bench', 'codegen', 'child-import.mjs'),
      join(REPO, 'packages', 'core', 'src', entry),
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
    const web = packagesLoadedByCore('index.ts');
    const server = packagesLoadedByCore('node.ts');
    // The probe does see what core needs at once: reflect-metadata on both entries, and ajv on
    // the server entry, which validates every schema synchronously from the first call. The web
    // entry validates with precompiled validators and loads ajv on first need.
    expect(web).toContain('reflect-metadata');
    expect(server).toContain('reflect-metadata');
    expect(server).toContain('ajv');
    expect(web).not.toContain('ajv');
    for (const heavy of ['ts-morph', '@ts-morph/common', 'typescript', 'quickjs-emscripten', 'openai']) {
      expect(web, `${heavy} was loaded by importing @dspy-ts/core`).not.toContain(heavy);
      expect(server, `${heavy} was loaded by importing @dspy-ts/core's server entry`).not.toContain(heavy);
    }
  }, 90_000);
});
