/** Runs in a fresh process: times importing `@dspy-ts/core` (its source entry) and checks that no ts-morph / TypeScript was loaded. */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const before = process.memoryUsage();
const t = performance.now();
await import(new URL('../../../packages/core/src/index.ts', import.meta.url).href);
const importMs = performance.now() - t;
const after = process.memoryUsage();
const loaded = Object.keys(createRequire(import.meta.url).cache);
const heavy = loaded.filter((p) => /[\\/](ts-morph|@ts-morph|typescript)[\\/]/.test(p));
process.stdout.write(
  `${JSON.stringify({
    importMs,
    rssMb: (after.rss - before.rss) / 2 ** 20,
    heapMb: (after.heapUsed - before.heapUsed) / 2 ** 20,
    heavy,
  })}\n`,
);
