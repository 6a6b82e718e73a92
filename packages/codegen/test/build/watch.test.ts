import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildResult, type WatchHandle, watch } from '../../src/index.js';
import { copyFixture } from './helpers.js';

let fixture: { root: string; tsconfig: string; dir: string };
let handle: WatchHandle | undefined;
const waiting: ((r: BuildResult) => void)[] = [];
const nextBuild = () => new Promise<BuildResult>((resolve) => waiting.push(resolve));

beforeAll(async () => {
  fixture = await copyFixture('watch');
});
afterAll(async () => {
  await handle?.close();
  await rm(fixture.root, { recursive: true, force: true });
});

async function edit(file: string, from: string, to: string): Promise<void> {
  const path = join(fixture.dir, 'src', file);
  const text = await readFile(path, 'utf8');
  expect(text).toContain(from);
  await writeFile(path, text.replace(from, to));
}

describe('build step: watch mode', () => {
  it('re-extracts only the changed file, or the changed file and the files importing it', async () => {
    handle = watch({
      project: fixture.tsconfig,
      debounceMs: 20,
      onBuild: (r) => waiting.shift()?.(r),
      onError: (e) => {
        throw e;
      },
    });
    const first = await handle.ready;
    expect(first.extractedFiles).toHaveLength(4);
    expect(first.diagnostics).toEqual([]);

    const afterAlone = nextBuild();
    await edit(
      'alone.ts',
      '@OutputField() answer!: string;',
      '@OutputField() answer!: string;\n  @OutputField() score!: number;',
    );
    const one = await afterAlone;
    expect(one.extractedFiles).toEqual(['src/alone.ts']);
    expect(one.written).toBe(true);
    expect(one.signatures.find((s) => s.name === 'Alone')?.outputs.map((f) => f.name)).toEqual([
      'answer',
      'score',
    ]);

    const afterShared = nextBuild();
    await edit('shared.ts', 'title: string;', 'title: string;\n  urgent: boolean;');
    const two = await afterShared;
    expect(two.extractedFiles).toEqual(['src/shared.ts', 'src/uses-shared.ts']);
    const ticket = two.signatures.find((s) => s.name === 'Triage')?.inputs[0]?.schema;
    expect(JSON.stringify(ticket)).toContain('"urgent":{"type":"boolean"}');
    const generated = await readFile(join(fixture.dir, 'src', 'dspy.generated.ts'), 'utf8');
    expect(generated).toContain('"urgent"');
  });

  it('rebuild() with an unchanged file does nothing', async () => {
    expect(await handle?.rebuild(['src/plain.ts'])).toBeUndefined();
  });
});
