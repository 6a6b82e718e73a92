/**
 * Quick start: a zero-shot intent classifier on Banking77, compiled with BootstrapRS, frozen to
 * an artifact, reloaded in a fresh process and used to predict.
 *
 * Run: `pnpm quickstart` from the repository root (it runs `dspy-ts build` first).
 */
import './dspy.generated.js';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { configure, evaluate, exactMatchOn, Predict, silentLogger } from '@dspy-ts/core';
import { exampleLM } from '@dspy-ts/example-shared';
import { BootstrapRS } from '@dspy-ts/optimize';
import { loadSplit } from './data.js';
import { ClassifyIntent } from './intent.js';

const { lm, label: lmLabel } = exampleLM();
configure({ lm, logger: silentLogger });
console.log(`LM: ${lmLabel}`);

const trainset = loadSplit('train');
const devset = loadSplit('dev');
const metric = exactMatchOn('label');
console.log(`data: ${trainset.length} training and ${devset.length} held-out Banking77 messages`);

// 1. Zero-shot baseline on the held-out messages.
const classify = new Predict(ClassifyIntent);
const baseline = await evaluate(classify, devset, metric, { progress: false });
console.log(`baseline (zero-shot): ${baseline.score.toFixed(1)}%`);

// 2. Compile: BootstrapRS searches demo sets that raise the metric on the training data.
const { program, report } = await new BootstrapRS({ metric, numCandidatePrograms: 6, seed: 0 }).compile(
  classify,
  { trainset: trainset.slice(0, 32), valset: trainset.slice(32) },
);
console.log(
  `compiled: ${report.candidates.length} candidate programs tried, best ${(report.bestScore ?? 0).toFixed(1)}% on the validation split`,
);

// 3. Freeze it.
const outDir = fileURLToPath(new URL('../out/', import.meta.url));
await mkdir(outDir, { recursive: true });
const artifactPath = `${outDir}classify-intent.json`;
await program.save(artifactPath);
console.log(`artifact: ${artifactPath}`);

// 4. Reload it in a fresh process (only @dspy-ts/core and the artifact) and predict.
const predictScript = fileURLToPath(new URL('./predict.ts', import.meta.url));
const { stdout } = await promisify(execFile)(
  process.execPath,
  ['--conditions=@dspy-ts/source', '--import', 'tsx', predictScript, artifactPath],
  { env: process.env },
);
const fresh = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
  score: number;
  demos: number;
  message: string;
  label: string;
};
console.log(`fresh process: loaded ${fresh.demos} demos; "${fresh.message}" -> ${fresh.label}`);
console.log(
  `baseline ${baseline.score.toFixed(1)}% → compiled ${fresh.score.toFixed(1)}% (held-out accuracy)`,
);
