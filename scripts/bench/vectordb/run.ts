/**
 * Vector database benchmark: a `LanceRetriever` over N synthetic unit vectors (default
 * 1,000,000 × 384), filled through `add()` (which builds the IVF-PQ index at the end), then
 * queried with Q fresh random unit vectors: query latency p50/p99 through `search()` and
 * recall@10 against an exact brute-force search over the same vectors in one `Float32Array`
 * (timed too, as the baseline). Also searched at larger `nprobes` on the same index.
 *
 * Data: `random` (default) draws every vector from an isotropic Gaussian, the hardest case for
 * an ANN index (a query's true neighbours are barely nearer than the rest); `clustered` draws
 * them (and the queries) around `n / 1000` random centres, closer to what text embeddings
 * look like.
 *
 * Run: node --conditions=@dspy-ts/source --import tsx scripts/bench/vectordb/run.ts \
 *        [--n=1000000] [--dim=384] [--queries=100] [--data=random|clustered] [--dir=path]
 * `--dir` keeps the database there (default: a temp dir, removed at the end).
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, withSettings } from '../../../packages/core/src/index.js';
import { LanceRetriever } from '../../../packages/lancedb/src/index.js';

const argv = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k ?? '', v ?? 'true'] as const;
  }),
);
const N = Number(argv.get('n') ?? 1_000_000);
const DIM = Number(argv.get('dim') ?? 384);
const QUERIES = Number(argv.get('queries') ?? 100);
const DATA = argv.get('data') ?? 'random';
const K = 10;
const WARMUP = 20;
/** `[nprobes, refineFactor]` searched on the same index; the first is the default. */
const SEARCH_SETTINGS = [
  [20, 50],
  [20, 20],
  [50, 50],
] as const;

/** mulberry32: a small seeded PRNG, so every run sees the same vectors. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  };
}

/** Fills `out` with standard normal draws (Box-Muller). */
function gaussians(out: Float32Array, next: () => number): void {
  for (let i = 0; i < out.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(next()));
    const a = 2 * Math.PI * next();
    out[i] = r * Math.cos(a);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(a);
  }
}

function normaliseRows(flat: Float32Array, dim: number): void {
  for (let o = 0; o < flat.length; o += dim) {
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += (flat[o + j] as number) ** 2;
    const inv = 1 / Math.sqrt(sum);
    for (let j = 0; j < dim; j++) flat[o + j] = (flat[o + j] as number) * inv;
  }
}

/** The cluster centres of `clustered` data (none for `random`). */
function centres(): Float32Array | undefined {
  if (DATA !== 'clustered') return undefined;
  const out = new Float32Array(Math.max(1, Math.round(N / 1000)) * DIM);
  gaussians(out, prng(3));
  return out;
}

/**
 * `count` unit vectors in one contiguous buffer: Gaussian, or each one a random centre plus
 * Gaussian noise of half its scale (documents and queries drawn alike).
 */
function unitVectors(count: number, seed: number, around: Float32Array | undefined): Float32Array {
  const next = prng(seed);
  const flat = new Float32Array(count * DIM);
  gaussians(flat, next);
  if (around) {
    const n = around.length / DIM;
    for (let i = 0; i < count; i++) {
      const c = Math.floor(next() * n) * DIM;
      for (let j = 0; j < DIM; j++)
        flat[i * DIM + j] = (around[c + j] as number) + 0.5 * (flat[i * DIM + j] as number);
    }
  }
  normaliseRows(flat, DIM);
  return flat;
}

/** The exact top-k rows of `q` by dot product: a full scan with a small insertion list. */
function exactTopK(flat: Float32Array, q: Float32Array, k: number): number[] {
  const best: { i: number; s: number }[] = [];
  let floor = Number.NEGATIVE_INFINITY;
  for (let i = 0, o = 0; i < N; i++, o += DIM) {
    let s = 0;
    for (let j = 0; j < DIM; j++) s += (flat[o + j] as number) * (q[j] as number);
    if (best.length < k || s > floor) {
      let at = best.findIndex((b) => s > b.s);
      if (at < 0) at = best.length;
      best.splice(at, 0, { i, s });
      if (best.length > k) best.pop();
      floor = (best.at(-1) as { s: number }).s;
    }
  }
  return best.map((b) => b.i);
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

const ms = (x: number) => `${x.toFixed(2)} ms`;

async function main(): Promise<void> {
  const keep = argv.get('dir');
  const dir = keep ?? (await mkdtemp(join(tmpdir(), 'dspy-bench-vectordb-')));
  console.log(
    `LanceRetriever: ${N.toLocaleString('en')} × ${DIM}-dim ${DATA} unit vectors, ${QUERIES} queries, k=${K}`,
  );
  console.log(
    `load average at start: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')} (${availableParallelism()} cores)`,
  );

  let t0 = performance.now();
  const around = centres();
  const flat = unitVectors(N, 1, around);
  const queries = unitVectors(QUERIES, 2, around);
  console.log(`generate: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Texts are row numbers; the embedder hands back the row (or query) vector.
  const row = (text: string): Float32Array => {
    const [kind, n] = text.split(':') as [string, string];
    const source = kind === 'q' ? queries : flat;
    return source.subarray(Number(n) * DIM, (Number(n) + 1) * DIM);
  };
  const embedder = { embed: async (texts: string[]) => texts.map(row) };
  const texts = Array.from({ length: N }, (_, i) => `d:${i}`);
  const ids = texts.map((_, i) => String(i));

  const retriever = new LanceRetriever({ uri: dir, table: 'bench', embedder, k: K, batchSize: 20_000 });
  t0 = performance.now();
  let tIndex = 0;
  await withSettings({ logger: { ...silentLogger, info: () => (tIndex = performance.now()) } }, () =>
    retriever.add(texts, ids),
  );
  const tEnd = performance.now();
  const write = ((tIndex || tEnd) - t0) / 1000;
  const build = tIndex ? (tEnd - tIndex) / 1000 : 0;
  console.log(`add (write): ${write.toFixed(1)} s; index build: ${build.toFixed(1)} s`);
  console.log(
    `stats: ${JSON.stringify(await retriever.stats())}; on disk: ${((await dirSize(dir)) / 2 ** 20).toFixed(0)} MiB`,
  );

  const qtexts = Array.from({ length: QUERIES }, (_, i) => `q:${i}`);
  t0 = performance.now();
  const truth = qtexts.map(
    (_, i) => new Set(exactTopK(flat, queries.subarray(i * DIM, (i + 1) * DIM), K).map(String)),
  );
  const exactMs = (performance.now() - t0) / QUERIES;
  console.log(`exact brute force over the Float32Array (baseline): ${ms(exactMs)} per query`);

  for (const [nprobes, refineFactor] of SEARCH_SETTINGS) {
    const isDefault = nprobes === 20 && refineFactor === 50;
    const r = isDefault
      ? retriever
      : new LanceRetriever({ uri: dir, table: 'bench', embedder, k: K, index: { nprobes, refineFactor } });
    for (let i = 0; i < WARMUP; i++) await r.search(qtexts[i % QUERIES] as string);
    const latencies: number[] = [];
    let hits = 0;
    for (const [i, q] of qtexts.entries()) {
      const a = performance.now();
      const res = await r.search(q);
      latencies.push(performance.now() - a);
      hits += res.ids.filter((id) => truth[i]?.has(id)).length;
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `search nprobes=${nprobes}, refineFactor=${refineFactor}${isDefault ? ' (default)' : ''}: p50 ${ms(quantile(latencies, 0.5))}, p99 ${ms(quantile(latencies, 0.99))}, recall@10 ${(hits / (QUERIES * K)).toFixed(3)}`,
    );
    if (!isDefault) await r.close();
  }
  console.log(
    `load average at end: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')}`,
  );
  await retriever.close();
  if (!keep) await rm(dir, { recursive: true, force: true });
}

await main();
