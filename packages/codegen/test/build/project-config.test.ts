import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDspyError } from '@dspy-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { build, formatDiagnostics, runBuildCommand } from '../../src/index.js';
import { qaSource, tempProject } from './helpers.js';

const roots: string[] = [];
afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

async function project(files: Record<string, string>) {
  const p = await tempProject(files);
  roots.push(p.root);
  return p;
}

const tsconfig = (compilerOptions: object = {}, include: string[] = ['src']) =>
  JSON.stringify({ extends: '../tsconfig.base.json', compilerOptions, include });

/** Runs the build command quietly; returns its exit code and what it wrote to stderr. */
async function runQuiet(tsconfigPath: string, out: string): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await runBuildCommand({
    project: tsconfigPath,
    out,
    noCache: true,
    stdout: { write: () => true },
    stderr: { write: (t: string) => (err += t) },
  });
  return { code, err };
}

const GOOD = '// the last good generated module\n';

describe('build step: decorators that do not resolve to @dspy-ts/core', () => {
  it('an import typo is a located diagnostic, the command exits 1, and the last good module stays', async () => {
    const p = await project({ 'tsconfig.json': tsconfig(), 'src/qa.ts': qaSource('@dspy-ts/cor') });
    const out = join(p.dir, 'out.ts');
    await writeFile(out, GOOD);
    const { code, err } = await runQuiet(p.tsconfig, out);
    expect(code).toBe(1);
    expect(err).toContain(
      "src/qa.ts:3:1  QA: @Signature does not resolve: the module '@dspy-ts/cor' cannot be found; install @dspy-ts/core",
    );
    expect(err).toContain("import { Signature } from '@dspy-ts/core'");
    expect(await readFile(out, 'utf8')).toBe(GOOD);
  });

  it('a namespace import of a missing module names the module', async () => {
    const p = await project({
      'tsconfig.json': tsconfig(),
      'src/qa.ts':
        "import * as core from '@dspy-ts/cor';\n\n@core.Signature()\nexport class QA {\n  @core.OutputField() answer!: string;\n}\n",
    });
    const result = await build({ project: p.tsconfig, out: join(p.dir, 'out.ts'), cache: false });
    expect(formatDiagnostics(result.diagnostics)).toMatch(
      /^src\/qa\.ts:3:1 {2}QA: @Signature does not resolve: the module '@dspy-ts\/cor' cannot be found;/,
    );
  });

  it('@dspy-ts/core mapped to a file outside that package is named', async () => {
    const p = await project({
      'tsconfig.json': tsconfig({ paths: { '@dspy-ts/core': ['./src/fake-core.ts'] } }),
      'src/fake-core.ts':
        'export function Signature() { return (_t: unknown) => {}; }\nexport const InputField = Signature;\nexport const OutputField = Signature;\n',
      'src/qa.ts': qaSource(),
    });
    const result = await build({ project: p.tsconfig, out: join(p.dir, 'out.ts'), cache: false });
    expect(formatDiagnostics(result.diagnostics)).toContain(
      `src/qa.ts:3:1  QA: @Signature is imported from '@dspy-ts/core' but resolves to ${join(p.dir, 'src/fake-core.ts')}, which is not inside the @dspy-ts/core package`,
    );
  });

  it('noResolve and moduleResolution classic are named as the reason', async () => {
    const noResolve = await project({
      'tsconfig.json': tsconfig({ noResolve: true }),
      'src/qa.ts': qaSource(),
    });
    const a = await build({ project: noResolve.tsconfig, out: join(noResolve.dir, 'out.ts'), cache: false });
    expect(formatDiagnostics(a.diagnostics)).toContain('(the tsconfig sets noResolve)');
    expect(a.written).toBe(false);
    const classic = await project({
      'tsconfig.json': tsconfig({ module: 'ES2022', moduleResolution: 'classic', paths: {} }),
      'src/qa.ts': qaSource(),
    });
    const b = await build({ project: classic.tsconfig, out: join(classic.dir, 'out.ts'), cache: false });
    expect(formatDiagnostics(b.diagnostics)).toContain("moduleResolution 'classic'");
    expect(b.signatures).toEqual([]);
  });

  it('a decorator that names nothing (no import) is located on the decorator', async () => {
    const p = await project({
      'tsconfig.json': tsconfig(),
      'src/qa.ts':
        'export class QA {\n  @Signature() run(q: string): Promise<{ a: string }> {\n    return Promise.resolve({ a: q });\n  }\n}\n',
    });
    const result = await build({ project: p.tsconfig, out: join(p.dir, 'out.ts'), cache: false });
    expect(formatDiagnostics(result.diagnostics)).toMatch(
      /^src\/qa\.ts:2:3 {2}QA\.run: @Signature does not resolve to a declaration; install @dspy-ts\/core/,
    );
  });

  it('0 signatures from a project whose decorators are all look-alikes is an error, not an empty module', async () => {
    const p = await project({
      'tsconfig.json': tsconfig(),
      'src/own.ts': 'export function Signature() { return (_t: unknown) => {}; }\n',
      'src/qa.ts': "import { Signature } from './own.js';\n\n@Signature()\nexport class QA {}\n",
    });
    const result = await build({ project: p.tsconfig, out: join(p.dir, 'out.ts'), cache: false });
    expect(result.diagnostics).toHaveLength(1);
    expect(formatDiagnostics(result.diagnostics)).toContain(
      "src/qa.ts:3:1  build: found 0 signatures and 0 tools, yet 1 decorator(s) named like @dspy-ts/core's",
    );
    expect(result.written).toBe(false);
  });
});

describe('build step: the tsconfig', () => {
  it('malformed JSON is a config error (exit 2) with file, line and column', async () => {
    const p = await project({
      'tsconfig.json': '{\n  "compilerOptions": {\n    "strict": true,,\n  }\n}\n',
      'src/qa.ts': qaSource(),
    });
    const out = join(p.dir, 'out.ts');
    await writeFile(out, GOOD);
    const { code, err } = await runQuiet(p.tsconfig, out);
    expect(code).toBe(2);
    expect(err).toContain(`${p.tsconfig}:3:20  Property assignment expected.`);
    expect(await readFile(out, 'utf8')).toBe(GOOD);
  });

  it('a bad option is located, and the error names where and how to fix', async () => {
    const p = await project({
      'tsconfig.json':
        '{\n  "extends": "../tsconfig.base.json",\n  "compilerOptions": { "moduleResolution": "nope" }\n}\n',
      'src/qa.ts': qaSource(),
    });
    const err = await build({ project: p.tsconfig, cache: false }).catch((e: unknown) => e);
    expect(isDspyError(err, 'BUILD_CONFIG')).toBe(true);
    expect((err as Error).message).toContain(`${p.tsconfig}:3:44  Argument for '--moduleResolution'`);
    expect(err).toMatchObject({
      details: { where: `${p.tsconfig}:3:44`, fix: expect.stringContaining('tsconfig') },
    });
  });

  it('include matching no file is an error naming the include', async () => {
    const p = await project({ 'tsconfig.json': tsconfig({}, ['lib']), 'src/qa.ts': qaSource() });
    const out = join(p.dir, 'out.ts');
    const { code, err } = await runQuiet(p.tsconfig, out);
    expect(code).toBe(2);
    expect(err).toContain('has no source files: its include ["lib"] matches no .ts file');
  });

  it('a solution that references another solution is followed to the project with files', async () => {
    const p = await project({
      'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './web' }] }),
      'web/tsconfig.json': JSON.stringify({ files: [], references: [{ path: './tsconfig.app.json' }] }),
      'web/tsconfig.app.json': JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src'] }),
      'web/src/qa.ts': qaSource(),
    });
    const result = await build({ project: p.tsconfig, out: join(p.dir, 'out.ts'), cache: false });
    expect(result.diagnostics).toEqual([]);
    expect(result.signatures.map((s) => s.location)).toEqual(['web/src/qa.ts:4:14']);
    expect(result.notes.join('\n')).toContain('built its reference web/tsconfig.app.json');
  });

  it('a solution-style tsconfig is followed into the reference that uses @dspy-ts/core', async () => {
    const ref = (include: string) =>
      JSON.stringify({
        extends: '../tsconfig.base.json',
        compilerOptions: { composite: true },
        include: [include],
      });
    const p = await project({
      'tsconfig.json': JSON.stringify({
        files: [],
        references: [{ path: './tsconfig.app.json' }, { path: './tsconfig.node.json' }],
      }),
      'tsconfig.app.json': ref('src'),
      'tsconfig.node.json': ref('vite.config.ts'),
      'vite.config.ts': 'export default {};\n',
      'src/qa.ts': qaSource(),
    });
    const result = await build({ project: p.tsconfig, out: join(p.dir, 'out.ts'), cache: false });
    expect(result.diagnostics).toEqual([]);
    expect(result.signatures.map((s) => s.name)).toEqual(['QA']);
    expect(result.notes.join('\n')).toContain('tsconfig.app.json');
    await writeFile(
      join(p.dir, 'vite.config.ts'),
      "import { Signature } from '@dspy-ts/core';\nexport default { Signature };\n",
    );
    const err = await build({ project: p.tsconfig, cache: false }).catch((e: unknown) => e);
    expect(isDspyError(err, 'BUILD_CONFIG')).toBe(true);
    expect((err as Error).message).toContain('several of its references import @dspy-ts/core');
    expect(err).toMatchObject({
      details: { fix: expect.stringContaining('tsconfig.app.json, tsconfig.node.json') },
    });
  });
});
