import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics, runBuildCommand } from '../../src/index.js';
import { buildFixture, copyFixture, FIXTURES } from './helpers.js';

describe('build step: diagnostics', () => {
  it('collects every unsupported construct of the project in one run, located and sorted', async () => {
    const result = await buildFixture('diagnostics');
    expect(formatDiagnostics(result.diagnostics).split('\n')).toEqual([
      "src/duplicate-b.ts:4:14  Twice: duplicate signature name 'Twice' (first declared at src/duplicate-a.ts:4:14); rename one or set an explicit { name }",
      'src/more.ts:4:14  NoOutputs: a signature needs at least one @OutputField() property',
      'src/more.ts:10:28  Dynamic: this option must be a constant string (a literal or a const) for the build step',
      'src/more.ts:17:13  Service.run.words: rest parameters are not supported; use an array parameter',
      'src/more.ts:17:34  Service.run: the return type must be a Promise of an object whose properties are the outputs',
      'src/unsupported.ts:10:17  Unsupported.onDone: functions cannot be sent to or produced by a model',
      'src/unsupported.ts:11:17  Unsupported.id: symbols are not JSON',
      "src/unsupported.ts:14:18  Unsupported.loose: 'any' cannot be validated in an output; declare a concrete type",
      'src/unsupported.ts:15:18  Unsupported.count: bigint is not JSON; use number or a string',
      'src/unsupported.ts:16:18  Unsupported.lookup: Map is not JSON; use Record<string, T> or an array of entries',
      'src/unsupported.ts:17:18  Unsupported.unique: Set is not JSON; use an array (T[])',
      'src/unsupported.ts:18:18  Unsupported.holder: big: bigint is not JSON; use number or a string',
      'src/unsupported.ts:18:18  Unsupported.holder: callback: functions cannot be sent to or produced by a model',
      'src/unsupported.ts:20:18  Unsupported.name: @minimum applies to numbers, not to this type',
    ]);
    expect(result.diagnostics[0]).toEqual({
      file: 'src/duplicate-b.ts',
      line: 4,
      column: 14,
      symbol: 'Twice',
      message: expect.stringContaining('duplicate signature name'),
    });
    // `unknown` is fine in an input; signatures with problems stay out of the manifest.
    expect(result.signatures.map((s) => s.name)).toEqual(['Twice']);
    expect(result.written).toBe(false);
  });

  it('the build command prints the diagnostics and exits non-zero; a missing project exits 2', async () => {
    let err = '';
    const stderr = { write: (t: string) => (err += t) };
    const code = await runBuildCommand({
      project: join(FIXTURES, 'diagnostics', 'tsconfig.json'),
      out: join(FIXTURES, 'diagnostics', 'never-written.ts'),
      noCache: true,
      stderr,
      stdout: { write: () => true },
    });
    expect(code).toBe(1);
    expect(err).toContain('src/unsupported.ts:11:17  Unsupported.id: symbols are not JSON');
    expect(err).toContain('14 problem(s)');
    const missing = await runBuildCommand({ project: join(FIXTURES, 'nope', 'tsconfig.json'), stderr });
    expect(missing).toBe(2);
    expect(err).toContain('does not exist');
  });
});

describe('build step: the build command', () => {
  it('prints notes and a summary and exits 0 on a clean project', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dspy-codegen-cli-'));
    let out = '';
    try {
      const code = await runBuildCommand({
        project: join(FIXTURES, 'decorators', 'tsconfig.json'),
        out: join(dir, 'generated.ts'),
        noCache: true,
        cwd: dir,
        stdout: { write: (t: string) => (out += t) },
      });
      expect(code).toBe(0);
      expect(out).toContain('note: src/aliased.ts:18:7  Hidden: the class is not exported');
      expect(out).toMatch(/dspy-ts build: 3 signature\(s\), 0 tool\(s\) -> generated\.ts written in \d+ ms/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('build step: the build command in watch mode', () => {
  it('says what it watches and how to stop, reports what each rebuild re-extracted, and resolves with 0 on abort', async () => {
    const fixture = await copyFixture('decorators');
    const controller = new AbortController();
    let out = '';
    const waiters: { re: RegExp; resolve: () => void }[] = [];
    const check = () => {
      for (const w of [...waiters]) {
        if (w.re.test(out)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    };
    const until = (re: RegExp) =>
      new Promise<void>((resolve) => {
        waiters.push({ re, resolve });
        check();
      });
    const write = (t: string) => {
      out += t;
      check();
    };
    try {
      const running = runBuildCommand({
        project: fixture.tsconfig,
        watch: true,
        signal: controller.signal,
        cwd: fixture.dir,
        stdout: { write },
        stderr: { write: (t: string) => write(`stderr: ${t}`) },
      });
      await until(/watching/);
      expect(out).toMatch(
        /dspy-ts build: 3 signature\(s\), 0 tool\(s\) -> src[\\/]dspy\.generated\.ts written/,
      );
      expect(out).toContain(
        'dspy-ts build: watching 3 file(s) of tsconfig.json for changes; press Ctrl-C to stop\n',
      );
      const file = join(fixture.dir, 'src', 'aliased.ts');
      await writeFile(file, `${await readFile(file, 'utf8')}\n// edited\n`);
      await until(/rebuilt/);
      // The module records source hashes, so an edited source rewrites it.
      expect(out).toMatch(
        /dspy-ts build: rebuilt src\/aliased\.ts: 3 signature\(s\), 0 tool\(s\) -> src[\\/]dspy\.generated\.ts written in \d+ ms/,
      );
      controller.abort();
      expect(await running).toBe(0);
      expect(out).not.toContain('stderr:');
    } finally {
      controller.abort();
      await rm(fixture.root, { recursive: true, force: true });
    }
  });
});

describe('build step: decorator resolution', () => {
  it('follows renamed re-exports and namespace imports, and ignores look-alike decorators', async () => {
    const result = await buildFixture('decorators');
    expect(result.diagnostics).toEqual([]);
    expect(result.signatures.map((s) => [s.name, s.location])).toEqual([
      ['Hidden', 'src/aliased.ts:18:7'],
      ['Namespaced', 'src/aliased.ts:12:14'],
      ['ViaAlias', 'src/aliased.ts:6:14'],
    ]);
    expect(result.signatures.find((s) => s.name === 'ViaAlias')?.instructions).toBe(
      'Found through a renamed re-export.',
    );
    expect(result.signatures.some((s) => s.name === 'NotASignature')).toBe(false);
    expect(result.notes).toEqual([
      'src/aliased.ts:18:7  Hidden: the class is not exported, so it gets no type-level registry entry; export it for typed inputs and outputs',
    ]);
  });
});
