/**
 * Runs in a fresh process: loads the frozen receipt reader (its image demos come from the media
 * folder beside the artifact, checked by SHA-256), scores it on the held-out receipts and on the
 * receipts its demos hold, and reads one held-out receipt. Prints one JSON line on stdout.
 *
 * Usage: node --conditions=@dspy-ts/source --import tsx src/predict.ts <artifact.json>
 */
import './dspy.generated.js';
import { basename } from 'node:path';
import { configure, evaluate, Image, Predict, silentLogger } from '@dspy-ts/core';
import { exampleLM } from '@dspy-ts/example-shared';
import { imagePath, loadReceipts, receiptRows } from './data.js';
import { receiptMetric } from './metric.js';
import { ReadReceipt } from './receipt.js';

const artifactPath = process.argv[2];
if (!artifactPath) {
  console.error('usage: predict.ts <artifact.json>');
  process.exit(2);
}

configure({ lm: exampleLM().lm, logger: silentLogger });

const reader = new Predict(ReadReceipt);
await reader.load(artifactPath);
const demoImages = reader.demos.map((d) => d.receipt).filter((r): r is Image => Image.isMedia(r));
const hashes = new Set(demoImages.map((image) => image.sha256));

const opts = { progress: false } as const;
const dev = await evaluate(reader, await loadReceipts('dev'), receiptMetric, opts);
const seenSet = (await loadReceipts('train')).filter((ex) => hashes.has((ex.get('receipt') as Image).sha256));
const seen = await evaluate(reader, seenSet, receiptMetric, opts);

const row = receiptRows('dev')[0];
if (!row) throw new Error('data/receipts.jsonl has no held-out receipt');
const prediction = await reader.forward({ receipt: await Image.fromFile(imagePath(row)) });
const read = {
  merchant: prediction.merchant,
  total: prediction.total,
  date: prediction.date,
  currency: prediction.currency,
};

process.stdout.write(
  `${JSON.stringify({
    demos: reader.demos.length,
    images: demoImages.length,
    dev: dev.score,
    seen: seen.score,
    seenCount: seenSet.length,
    file: basename(row.image),
    read,
  })}\n`,
);
