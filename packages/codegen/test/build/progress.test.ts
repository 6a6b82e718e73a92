import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type BuildProgress, build, runBuildCommand } from '../../src/index.js';
import { FIXTURES } from './helpers.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function outFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dspy-codegen-progress-'));
  dirs.push(dir);
  return join(dir, 'generated.ts');
}

const project = join(FIXTURES, 'decorators', 'tsconfig.json');

describe('build step: progress', () => {
  it('build() reports loading, reading, each extracted file and writing, in order', async () => {
    const events: BuildProgress[] = [];
    const out = await outFile();
    await build({ project, out, cache: false, onProgress: (e) => events.push(e) });
    expect(events.map((e) => e.phase)).toEqual([
      'loading',
      'reading',
      'extracting',
      'extracting',
      'extracting',
      'writing',
    ]);
    expect(events[0]).toEqual({ phase: 'loading', project });
    expect(events[1]).toEqual({ phase: 'reading', files: 3 });
    expect(events[4]).toEqual({
      phase: 'extracting',
      done: 3,
      total: 3,
      file: expect.stringMatching(/^src\//),
    });
    expect(events[5]).toEqual({ phase: 'writing', file: out });
  });

  it('the command shows progress on stderr when asked (a line per phase when it is not a terminal)', async () => {
    let err = '';
    const out = await outFile();
    const code = await runBuildCommand({
      project,
      out,
      noCache: true,
      progress: true,
      cwd: FIXTURES,
      stdout: { write: () => true },
      stderr: { write: (t: string) => (err += t) },
    });
    expect(code).toBe(0);
    expect(err.split('\n')).toEqual([
      'dspy-ts build: loading TypeScript for decorators/tsconfig.json…',
      'dspy-ts build: reading 3 file(s)…',
      'dspy-ts build: extracting from 3 file(s)…',
      expect.stringMatching(/^dspy-ts build: writing .*generated\.ts…$/),
      '',
    ]);
  });

  it('on a terminal the line is redrawn in place and cleared before the summary; off a terminal it is silent', async () => {
    let tty = '';
    await runBuildCommand({
      project,
      out: await outFile(),
      noCache: true,
      stdout: { write: () => true },
      stderr: { isTTY: true, write: (t: string) => (tty += t) },
    });
    const CLEAR = '\r\u001b[2K';
    expect(tty.split(CLEAR)).toContainEqual(
      expect.stringMatching(/^dspy-ts build: extracting 3\/3 src\/\w+\.ts$/),
    );
    expect(tty.endsWith(CLEAR)).toBe(true);
    let piped = '';
    await runBuildCommand({
      project,
      out: await outFile(),
      noCache: true,
      stdout: { write: () => true },
      stderr: { write: (t: string) => (piped += t) },
    });
    expect(piped).toBe('');
  });
});
