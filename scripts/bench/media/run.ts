/**
 * Media benchmark (run with `npx tsx --conditions=@dspy-ts/source scripts/bench/media/run.ts`),
 * in one run, medians over rounds:
 * (a) formatting a request with a 1 MB image — `ChatAdapter.format` plus the wire messages, for
 *     an image value used for the first time (so its one base64 encoding counts) — ÷ encoding the
 *     same bytes to base64 once (target ≤ 1.5: no repeated encoding or copying);
 * (b) the cache key of a request with a 10 MB file ÷ SHA-256 of those bytes once (target ≤ 2);
 *     also shown with the file's one-time hash at creation (`File.fromBytes`) counted in;
 * (c) loading a saved program whose demo holds a 1 MB image (`Predict.load(path)`: the artifact,
 *     its media file read and checked by SHA-256, the `Image` rebuilt) ÷ reading that file and
 *     hashing it once, the least a verified load can do (diagnostic: the issue sets no target).
 */
import { createHash, hash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ChatAdapter, File, Image, Predict, specOf } from '../../../packages/core/src/index.js';
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

const dir = await mkdtemp(join(tmpdir(), 'dspy-bench-media-'));
const loadMs: Record<'file' | 'inline', number[]> = { file: [], inline: [] };
const readHashMs: number[] = [];
try {
  const saved = new Predict(imageSpec);
  const receipt = await Image.fromBytes(imageBytes);
  saved.demos = [{ receipt, question: 'Total?', total: 12 }];
  const paths = { file: join(dir, 'file.json'), inline: join(dir, 'inline.json') };
  await saved.save(paths.file);
  await saved.save(paths.inline, { mediaInlineLimit: Number.POSITIVE_INFINITY });
  const mediaFile = join(dir, 'file.media', `${receipt.sha256}.png`);
  for (let i = 0; i < ROUNDS + 2; i++) {
    // The baseline first in each round, so the loads' garbage is not collected in its time.
    const t = performance.now();
    hash('sha256', await readFile(mediaFile), 'hex');
    if (i >= 2) readHashMs.push(performance.now() - t);
    for (const kind of ['file', 'inline'] as const) {
      const t = performance.now();
      await new Predict(imageSpec).load(paths[kind]);
      if (i >= 2) loadMs[kind].push(performance.now() - t);
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
const ideal = median(readHashMs);
console.log(
  `(c) load a program with a 1 MB image demo: in a media file ${fmt(median(loadMs.file))} ms, inline ${fmt(median(loadMs.inline))} ms; read + SHA-256 once: ${fmt(ideal)} ms; ratios ${fmt(median(loadMs.file) / ideal)}, ${fmt(median(loadMs.inline) / ideal)} (diagnostic)`,
);
