/**
 * Media benchmark (run with `npx tsx --conditions=@dspy-ts/source scripts/bench/media/run.ts`),
 * in one run, medians over rounds:
 * (a) formatting a request with a 1 MB image — `ChatAdapter.format` plus the wire messages, for
 *     an image value used for the first time (so its one base64 encoding counts) — ÷ encoding the
 *     same bytes to base64 once (target ≤ 1.5: no repeated encoding or copying);
 * (b) the cache key of a request with a 10 MB file ÷ SHA-256 of those bytes once (target ≤ 2);
 *     also shown with the file's one-time hash at creation (`File.fromBytes`) counted in.
 */
import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ChatAdapter, File, Image, specOf } from '../../../packages/core/src/index.js';
import { cacheKey } from '../../../packages/core/src/internal.js';
import { toWireMessage } from '../../../packages/core/src/lm/tool-wire.js';
import { bigPng } from '../../../packages/core/test/media/fixtures.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

const adapter = new ChatAdapter();
const imageSpec = specOf('receipt: Image, question -> total: number');
const imageBytes = bigPng(1_000_000);
const formatMs: number[] = [];
const base64Ms: number[] = [];
for (let i = 0; i < ROUNDS + 2; i++) {
  const receipt = await Image.fromBytes(imageBytes);
  const f = time(() =>
    adapter.format(imageSpec, { inputs: { receipt, question: 'Total?' } }).map(toWireMessage),
  );
  const b = time(() =>
    Buffer.from(imageBytes.buffer, imageBytes.byteOffset, imageBytes.byteLength).toString('base64'),
  );
  if (i >= 2) {
    formatMs.push(f);
    base64Ms.push(b);
  }
}

const fileSpec = specOf('doc: File -> summary');
const fileBytes = new Uint8Array(randomBytes(10_000_000));
fileBytes.set(new TextEncoder().encode('%PDF-1.4\n'), 0);
const keyMs: number[] = [];
const createMs: number[] = [];
const shaMs: number[] = [];
for (let i = 0; i < ROUNDS + 2; i++) {
  const t = performance.now();
  const doc = await File.fromBytes(fileBytes);
  const created = performance.now() - t;
  const messages = adapter.format(fileSpec, { inputs: { doc } });
  const k = time(() => cacheKey('openai/gpt-4o-mini', messages, { temperature: 0 }));
  const s = time(() => createHash('sha256').update(fileBytes).digest('hex'));
  if (i >= 2) {
    keyMs.push(k);
    createMs.push(created + k);
    shaMs.push(s);
  }
}

const fmt = (n: number) => n.toFixed(2);
console.log(
  `(a) format 1 MB image: ${fmt(median(formatMs))} ms; base64 once: ${fmt(median(base64Ms))} ms; ratio ${fmt(median(formatMs) / median(base64Ms))} (target ≤ 1.5)`,
);
console.log(
  `(b) cache key, 10 MB file: ${fmt(median(keyMs))} ms; SHA-256 once: ${fmt(median(shaMs))} ms; ratio ${fmt(median(keyMs) / median(shaMs))} (target ≤ 2)`,
);
console.log(
  `    with the file's hash at creation: ${fmt(median(createMs))} ms; ratio ${fmt(median(createMs) / median(shaMs))}`,
);
