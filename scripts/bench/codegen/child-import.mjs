// Runs in a fresh process: times importing `@dspy-ts/core` (the entry given as argument) and
// checks that neither ts-morph nor TypeScript was loaded. Prints one JSON line.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const entry = process.argv[2];
if (!entry) throw new Error('usage: child-import.mjs <path of the @dspy-ts/core entry>');
const before = process.memoryUsage();
const t = performance.now();
await import(pathToFileURL(entry).href);
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
