/**
 * A typed receipt reader: `ReadReceipt` takes a receipt image (and an optional question) and
 * gives the merchant, total, date and currency. It is scored zero-shot on held-out receipts,
 * compiled with BootstrapRS, saved with its image demos, and reloaded in a fresh process.
 *
 * Run: `pnpm receipts` from the repository root (it runs `dspy-ts build` first).
 */
import './dspy.generated.js';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { configure, evaluate, type Image, Predict, silentLogger } from '@dspy-ts/core';
import { configuredModel, exampleLM } from '@dspy-ts/example-shared';
import { BootstrapRS } from '@dspy-ts/optimize';
import { loadReceipts } from './data.js';
import { fieldShares, fieldSharesText, receiptMetric } from './metric.js';
import { ReadReceipt } from './receipt.js';

const { lm, label: lmLabel } = exampleLM();
configure({ lm, logger: silentLogger });
console.log(`LM: ${lmLabel}`);

const trainset = await loadReceipts('train');
const devset = await loadReceipts('dev');
const images = [...trainset, ...devset].map((ex) => ex.get('receipt') as Image);
const averageKb = images.reduce((n, image) => n + (image.byteLength ?? 0), 0) / images.length / 1000;
console.log(
  `data: ${trainset.length} training and ${devset.length} held-out receipt images (generated PNGs, ${averageKb.toFixed(1)} kB on average)`,
);
const evalOpts = { progress: false } as const;

// 1. Zero-shot on the held-out receipts.
const reader = new Predict(ReadReceipt);
const baseline = await evaluate(reader, devset, receiptMetric, evalOpts);
console.log(`baseline (zero-shot): ${baseline.score.toFixed(1)}% of fields right on held-out receipts`);
console.log(`  per field: ${fieldSharesText(fieldShares(baseline))}`);

// 2. Compile: BootstrapRS searches demo sets (each demo holds a receipt image) that raise the
//    metric; a bootstrapped demo must get all four fields right (metricThreshold 1).
const { program, report } = await new BootstrapRS({
  metric: receiptMetric,
  metricThreshold: 1,
  numCandidatePrograms: 4,
  maxBootstrappedDemos: 3,
  maxLabeledDemos: 3,
  seed: 0,
}).compile(reader, { trainset });
const compiled = await evaluate(program, devset, receiptMetric, evalOpts);
console.log(
  `compiled: ${report.candidates.length} candidate programs tried; ${program.demos.length} image demos; ${compiled.score.toFixed(1)}% on held-out receipts`,
);
console.log(`  per field: ${fieldSharesText(fieldShares(compiled))}`);

// 3. Freeze it. Real receipt photos are larger than the default 64 kB inline limit and go to
//    files beside the artifact; these generated ones are ~2.5 kB, so a 2 kB limit shows that layout.
const outDir = fileURLToPath(new URL('../out/', import.meta.url));
await mkdir(outDir, { recursive: true });
const artifactPath = `${outDir}receipt-reader.json`;
await program.save(artifactPath, { mediaInlineLimit: 2_048 });
console.log(`artifact: ${artifactPath} (image demos in ${outDir}receipt-reader.media/)`);

// 4. Reload it in a fresh process (only @dspy-ts/core, the artifact and its media) and read receipts.
const predictScript = fileURLToPath(new URL('./predict.ts', import.meta.url));
const { stdout } = await promisify(execFile)(
  process.execPath,
  ['--conditions=@dspy-ts/source', '--import', 'tsx', predictScript, artifactPath],
  { env: process.env },
);
const fresh = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
  demos: number;
  images: number;
  dev: number;
  seen: number;
  seenCount: number;
  file: string;
  read: Record<string, unknown>;
};
console.log(
  `fresh process: loaded ${fresh.demos} demos holding ${fresh.images} receipt images (each checked by SHA-256); ${fresh.file} -> ${JSON.stringify(fresh.read)}`,
);
console.log(
  `held-out receipts: baseline ${baseline.score.toFixed(1)}% → compiled ${fresh.dev.toFixed(1)}% (fields right)`,
);
console.log(
  `receipts the demos hold: ${fresh.seen.toFixed(1)}% of fields right (${fresh.seenCount} receipts)`,
);
if (!configuredModel()) {
  console.log(
    'OfflineLM does not read images: it recognises a receipt it has seen in a demo (same bytes) and answers a new one from the nearest demo, so these scores say nothing about vision. Set DSPY_TS_LM to a vision model for real figures.',
  );
}
