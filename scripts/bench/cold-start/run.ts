/**
 * Cold start: a process that imports core and loads a 50-demo artifact, on Node, Bun and Deno
 * (same machine, same run, same esbuild bundles). Each prints `performance.now()` once the
 * program is loaded: milliseconds since its runtime started. Median of 5 runs each. Two bundles
 * of the same script: `@dspy-ts/core`'s web entry (platform browser: ajv loaded on first need,
 * which this program never has) and its server entry (platform node: ajv loaded at start-up).
 * Usage: node --conditions=@dspy-ts/source --import tsx scripts/bench/cold-start/run.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Predict, toArtifact } from '../../../packages/core/src/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RUNS = 5;

const demos = Array.from({ length: 50 }, (_, i) => ({
  question: `What is ${i} + ${i}?`,
  answer: String(2 * i),
}));
const artifact = JSON.stringify(toArtifact(new Predict('question -> answer', { demos }), { name: 'QA' }));

const dir = await mkdtemp(join(tmpdir(), 'dspy-ts-cold-start-'));
const script = `import { Predict, parseArtifact } from '@dspy-ts/core';
const qa = await new Predict('question -> answer').load(parseArtifact(${JSON.stringify(artifact)}));
if (qa.demos.length !== 50) throw new Error('not loaded');
console.log(performance.now().toFixed(1));`;

/** Bundles the script for `platform`, `@dspy-ts/core` resolved through its package exports. */
async function bundleFor(platform: 'browser' | 'node'): Promise<string> {
  const file = join(dir, `worker-${platform}.mjs`);
  await build({
    stdin: { contents: script, resolveDir: ROOT, loader: 'ts' },
    outfile: file,
    bundle: true,
    platform,
    format: 'esm',
    minify: true,
    external: ['openai'],
    conditions: ['@dspy-ts/source'],
    logLevel: 'error',
  });
  return file;
}
const web = await bundleFor('browser');
const server = await bundleFor('node');

const empty = join(dir, 'empty.mjs');
await writeFile(empty, 'console.log(performance.now().toFixed(1));\n');

const bin = (name: string) => join(ROOT, 'node_modules/.bin', name);
const runtimes: [string, string, string[]][] = [
  ['Node', process.execPath, ['SCRIPT']],
  ['Bun', bin('bun'), ['SCRIPT']],
  ['Deno', bin('deno'), ['run', '--allow-env', 'SCRIPT']],
];
/** The median of `RUNS` runs of `command args` with `script` as the last argument. */
function median(command: string, args: string[], script: string): number {
  const ms = Array.from({ length: RUNS }, () =>
    Number(execFileSync(command, [...args.slice(0, -1), script], { encoding: 'utf8' }).trim()),
  );
  ms.sort((a, b) => a - b);
  return ms[Math.floor(RUNS / 2)] ?? Number.NaN;
}

for (const [name, command, args] of runtimes) {
  const base = median(command, args, empty);
  const loadedWeb = median(command, args, web);
  const loadedServer = median(command, args, server);
  console.log(
    `${name}: web entry ${loadedWeb.toFixed(1)} ms to a loaded program (core + artifact ${(loadedWeb - base).toFixed(1)} ms); server entry ${loadedServer.toFixed(1)} ms (${(loadedServer - base).toFixed(1)} ms); empty script ${base.toFixed(1)} ms; median of ${RUNS}`,
  );
}
