#!/usr/bin/env node
/**
 * Runs every benchmark, one after another, each in a process of its own, and stops at the first
 * that fails. Arguments name the ones to run (`node scripts/bench/run-all.mjs predict lm`);
 * none runs them all. The figures each prints are recorded in docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ALL = [
  'codegen',
  'lm',
  'predict',
  'optimize',
  'retrieval',
  'agent',
  'vectordb',
  'footprint',
  'cold-start',
  'otel',
  'redis-cache',
  'distributed',
  'media',
  'budget',
];
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !ALL.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}: choose from ${ALL.join(', ')}.`);
  process.exit(2);
}

for (const name of asked.length > 0 ? asked : ALL) {
  console.log(`\n=== ${name} ===`);
  const env = { ...process.env };
  // The LM client and retrieval benchmarks measure calls that reach the server: no on-disk cache.
  if (name === 'lm' || name === 'retrieval') env.DSPY_TS_CACHE_DIR = '';
  const run = spawnSync(
    process.execPath,
    ['--conditions=@dspy-ts/source', '--import', 'tsx', join(here, name, 'run.ts')],
    { stdio: 'inherit', env },
  );
  if (run.status !== 0) {
    console.error(`The ${name} benchmark failed (exit ${run.status ?? run.signal}).`);
    process.exit(run.status ?? 1);
  }
}
