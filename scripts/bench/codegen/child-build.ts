/**
 * Runs in a fresh process: a cold build (including loading ts-morph), a no-change rebuild,
 * and one-file changes in watch mode. Prints one JSON line of timings (ms).
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BuildResult, build, watch } from '../../../packages/codegen/src/index.js';
import { changedFileText, fileText, sourcePath } from './generate.js';

const [dir = '', countText = '300', roundsText = '5'] = process.argv.slice(2);
const count = Number(countText);
const tsconfig = join(dir, 'tsconfig.json');
await rm(join(dir, 'node_modules', '.cache'), { recursive: true, force: true });
await rm(join(dir, 'src', 'dspy.generated.ts'), { force: true });

let t = performance.now();
const cold = await build({ project: tsconfig });
const coldMs = performance.now() - t;
if (cold.diagnostics.length > 0 || cold.signatures.length !== count) {
  throw new Error(
    `unexpected build: ${cold.signatures.length} signatures, ${cold.diagnostics.length} diagnostics`,
  );
}

t = performance.now();
const again = await build({ project: tsconfig });
const noChangeMs = performance.now() - t;
if (!again.fromCache) throw new Error('the no-change rebuild missed the cache');

const waiting: ((r: BuildResult) => void)[] = [];
const handle = watch({ project: tsconfig, debounceMs: 10, onBuild: (r) => waiting.shift()?.(r) });
await handle.ready;
const watchWall: number[] = [];
const watchInternal: number[] = [];
for (let round = 0; round < Number(roundsText); round++) {
  const i = (round * 37 + 11) % count;
  const next = new Promise<BuildResult>((resolve) => waiting.push(resolve));
  t = performance.now();
  await writeFile(sourcePath(dir, i), changedFileText(i, count, round));
  const result = await Promise.race([
    next,
    new Promise<never>((_, reject) =>
      setTimeout(
        () =>
          reject(new Error(`watch: no rebuild within 30 s of changing sig-${String(i).padStart(3, '0')}.ts`)),
        30_000,
      ).unref(),
    ),
  ]);
  watchWall.push(performance.now() - t);
  watchInternal.push(result.durationMs);
  if (!result.extractedFiles.some((f) => f.endsWith(`sig-${String(i).padStart(3, '0')}.ts`))) {
    throw new Error(`watch did not re-extract the changed file: ${result.extractedFiles.join(', ')}`);
  }
}
await handle.close();
// Put the changed files back, so that a next run (BENCH_REPEAT) changes them again: writing a
// file's current text is no change, and rightly no rebuild.
for (let round = 0; round < Number(roundsText); round++) {
  const i = (round * 37 + 11) % count;
  await writeFile(sourcePath(dir, i), fileText(i, count));
}
process.stdout.write(`${JSON.stringify({ coldMs, noChangeMs, watchWall, watchInternal })}\n`);
