/**
 * Retrieval benchmark, in one run:
 * (a) `Embeddings.search` over 100,000 × 384 vectors, single-threaded: time per query ÷ the time
 *     to stream the matrix once (a sum over the same `Float32Array`, four accumulators, the
 *     fastest pass JavaScript makes over it: the floor of exact search), target ≤ 2;
 * (b) building the index for 100,000 texts with the offline hashing embedding: texts/s;
 * (c) 4,000 texts through an `Embedder` over the test server at 20 ms latency (child process), batchSize 20,
 *     maxConcurrency 8: wall ÷ ideal (requests ÷ concurrency × latency); beside it, as the
 *     baseline of the same run, as many chat calls of an `LM` with the same concurrency bound.
 *
 * Run: node --conditions=@dspy-ts/source --import tsx scripts/bench/retrieval/run.ts
 *      [--parts=a,b,c] [--n=100000] [--dims=384] [--queries=200] [--texts=4000] [--latency=20]
 *      [--concurrency=8] [--batch=20] [--remote-dims=384 (dimensions asked of the server in (c))]
 */
import { loadavg } from 'node:os';
import { Embedder, Embeddings, LM } from '../../../packages/core/src/index.js';
import { hashingEmbedding } from '../../../packages/testing/src/index.js';
import { startServer } from '../server/start.js';

const argv = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k ?? '', v ?? 'true'] as const;
  }),
);
const num = (k: string, d: number) => Number(argv.get(k) ?? d);
const N = num('n', 100_000);
const DIMS = num('dims', 384);
const QUERIES = num('queries', 200);
const TEXTS = num('texts', 4_000);
const LATENCY = num('latency', 20);
const CONCURRENCY = num('concurrency', 8);
const BATCH = num('batch', 20);

/** A seeded xorshift32 stream of numbers in [-1, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) / 2 ** 32) * 2 - 1;
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** The floor: one pass summing the matrix, four accumulators (as the search's dot products). */
function streamOnce(m: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const end = m.length - (m.length % 4);
  for (let i = 0; i < end; i += 4) {
    s0 += m[i] as number;
    s1 += m[i + 1] as number;
    s2 += m[i + 2] as number;
    s3 += m[i + 3] as number;
  }
  return s0 + s1 + s2 + s3;
}

async function search(): Promise<void> {
  const next = random(7);
  const rows = new Map<string, Float32Array>();
  const vector = () => Float32Array.from({ length: DIMS }, next);
  const corpus = Array.from({ length: N }, (_, i) => `passage ${i}`);
  // Vectors with no structure: the search cannot stop early, every row is scored.
  const embedder = new Embedder((texts) => texts.map((t) => rows.get(t) ?? vector()), { batchSize: 10_000 });
  const index = await new Embeddings({ corpus, embedder, k: 10 }).ready();
  const matrix = index.data().vectors;
  const queries = Array.from({ length: QUERIES }, (_, i) => `query ${i}`);
  for (const q of queries) rows.set(q, vector());
  let sink = 0;
  for (let i = 0; i < 20; i++) {
    sink += streamOnce(matrix);
    sink += (await index.search(queries[i % QUERIES] as string)).scores[0] ?? 0;
  }
  const floor: number[] = [];
  const per: number[] = [];
  // Alternating blocks, so both sides see the same state of the host.
  for (let round = 0; round < 10; round++) {
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      sink += streamOnce(matrix);
      floor.push(performance.now() - t);
    }
    for (let i = 0; i < QUERIES / 10; i++) {
      const t = performance.now();
      sink += (await index.search(queries[(round * QUERIES) / 10 + i] as string)).scores[0] ?? 0;
      per.push(performance.now() - t);
    }
  }
  const f = median(floor);
  const q = median(per);
  console.log(
    `(a) Embeddings.search, ${N.toLocaleString()} × ${DIMS}: ${q.toFixed(2)} ms/query (${(1000 / q).toFixed(1)} queries/s), ` +
      `stream once ${f.toFixed(2)} ms: ratio ${(q / f).toFixed(2)} (target ≤ 2)${sink === 42 ? ' ' : ''}`,
  );
}

const WORDS =
  'river mountain city capital country king queen war battle born died wrote book film music song team league season game player church school university river island ocean desert forest bridge tower museum painter poem novel author actor director company founded'.split(
    ' ',
  );

async function build(): Promise<void> {
  const next = random(11);
  const pick = () => WORDS[Math.floor(((next() + 1) / 2) * WORDS.length)] as string;
  const texts = Array.from({ length: N }, (_, i) => `${Array.from({ length: 20 }, pick).join(' ')} ${i}`);
  const embedder = new Embedder((batch) => hashingEmbedding(batch, { dimensions: DIMS }), {
    batchSize: 1000,
  });
  const t = performance.now();
  const index = await new Embeddings({ corpus: texts, embedder }).ready();
  const s = (performance.now() - t) / 1000;
  console.log(
    `(b) build, ${index.size.toLocaleString()} texts of 21 words, hashing embedding: ${s.toFixed(2)} s, ${Math.round(N / s).toLocaleString()} texts/s`,
  );
}

async function remote(): Promise<void> {
  await using server = await startServer(LATENCY);
  const options = {
    baseURL: server.url,
    apiKey: 'bench',
    cache: false as const,
    batchSize: BATCH,
    dimensions: num('remote-dims', DIMS),
  };
  await new Embedder('openai/text-embedding-3-small', options).embed(['warm up the server']);
  const embedder = new Embedder('openai/text-embedding-3-small', { ...options, maxConcurrency: CONCURRENCY });
  const texts = Array.from({ length: TEXTS }, (_, i) => `text number ${i} about rivers and towers`);
  const t = performance.now();
  const vectors = await embedder.embed(texts);
  const wall = performance.now() - t;
  const requests = Math.ceil(TEXTS / BATCH);
  const ideal = Math.ceil(requests / CONCURRENCY) * LATENCY;
  console.log(
    `(c) Embedder over the test server, ${TEXTS.toLocaleString()} texts, batchSize ${BATCH}, maxConcurrency ${CONCURRENCY}, ${LATENCY} ms: ` +
      `${requests} requests, wall ${wall.toFixed(0)} ms ÷ ideal ${ideal} ms = ${(wall / ideal).toFixed(3)} (${vectors.length} vectors, ${embedder.stats.requests} requests sent)`,
  );
  const lm = new LM('openai/gpt-4o-mini', {
    baseURL: server.url,
    apiKey: 'bench',
    cache: false,
    maxConcurrency: CONCURRENCY,
  });
  const ask = (i: number) => lm.call({ messages: [{ role: 'user', content: `question ${i}` }] });
  await ask(-1);
  const t2 = performance.now();
  await Promise.all(Array.from({ length: requests }, (_, i) => ask(i)));
  const lmWall = performance.now() - t2;
  console.log(
    `(c) baseline: ${requests} LM chat calls, same server and bound: wall ${lmWall.toFixed(0)} ms ÷ ideal ${ideal} ms = ${(lmWall / ideal).toFixed(3)}`,
  );
}

console.log(
  `Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const parts = (argv.get('parts') ?? 'a,b,c').split(',');
if (parts.includes('a')) await search();
if (parts.includes('b')) await build();
if (parts.includes('c')) await remote();
