import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { build, checkStale } from '../../src/index.js';
import { copyFixture } from './helpers.js';

const opened = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/project.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/project.js')>();
  return {
    ...actual,
    openProject: (...args: Parameters<typeof actual.openProject>) => {
      opened.count++;
      return actual.openProject(...args);
    },
  };
});

let fixture: { root: string; tsconfig: string; dir: string };
beforeAll(async () => {
  fixture = await copyFixture('watch');
});
afterAll(async () => {
  await rm(fixture.root, { recursive: true, force: true });
});

describe('build step: file-hash cache', () => {
  it('writes the default module, then answers a no-change rebuild from the cache without TypeScript', async () => {
    const first = await build({ project: fixture.tsconfig });
    expect(first.fromCache).toBe(false);
    expect(first.written).toBe(true);
    expect(first.outFile).toBe(join(fixture.dir, 'src', 'dspy.generated.ts'));
    expect(first.extractedFiles).toEqual([
      'src/alone.ts',
      'src/plain.ts',
      'src/shared.ts',
      'src/uses-shared.ts',
    ]);
    const openedBefore = opened.count;
    const second = await build({ project: fixture.tsconfig });
    expect(second.fromCache).toBe(true);
    expect(opened.count).toBe(openedBefore);
    expect(second.manifest).toEqual(first.manifest);
    expect(second.signatures.map((s) => s.name)).toEqual(['Alone', 'Triage']);
  });

  it('rebuilds when a source changes, a file is added, or the generated module is touched', async () => {
    const alone = join(fixture.dir, 'src', 'alone.ts');
    await writeFile(alone, (await readFile(alone, 'utf8')).replace('answer!: string', 'answer!: number'));
    const changed = await build({ project: fixture.tsconfig });
    expect(changed.fromCache).toBe(false);
    expect(changed.signatures.find((s) => s.name === 'Alone')?.outputs[0]?.schema).toEqual({
      type: 'number',
    });

    await writeFile(join(fixture.dir, 'src', 'extra.ts'), 'export const extra = 2;\n');
    expect((await build({ project: fixture.tsconfig })).fromCache).toBe(false);
    expect((await build({ project: fixture.tsconfig })).fromCache).toBe(true);

    const out = join(fixture.dir, 'src', 'dspy.generated.ts');
    const before = await readFile(out, 'utf8');
    await rm(out);
    const rewritten = await build({ project: fixture.tsconfig });
    expect(rewritten.fromCache).toBe(false);
    expect(rewritten.written).toBe(true);
    // A fresh build of the same sources writes the same text (deterministic output).
    expect(await readFile(out, 'utf8')).toBe(before);
    expect((await build({ project: fixture.tsconfig, cache: false })).written).toBe(false);
  });

  it('checkStale names the sources changed since the build', async () => {
    await build({ project: fixture.tsconfig });
    expect(await checkStale({ project: fixture.tsconfig })).toMatchObject({ stale: false, changedFiles: [] });
    const shared = join(fixture.dir, 'src', 'uses-shared.ts');
    await writeFile(shared, `${await readFile(shared, 'utf8')}\n// edited\n`);
    expect(await checkStale({ project: fixture.tsconfig })).toMatchObject({
      stale: true,
      missing: false,
      changedFiles: ['src/uses-shared.ts'],
    });
    expect(
      await checkStale({ project: fixture.tsconfig, out: join(fixture.dir, 'missing.ts') }),
    ).toMatchObject({
      stale: true,
      missing: true,
    });
  });
});
