/**
 * LM client benchmark, against the OpenAI-protocol test server on loopback, in one run:
 * (a) LM calls/s with the cache off ÷ raw `openai` SDK calls/s, same requests, sequential,
 *     zero latency (target ≥ 0.95): blocks of each side run back to back, the order swapped every
 *     round, after a long warm-up; the figure is the median over rounds of raw ÷ LM block time;
 * (b) cache-hit calls/s in-process (target ≥ 50,000/s);
 * (c) 1,000 requests at 50 ms server latency with maxConcurrency 50: wall ÷ ideal 1.0 s (≤ 1.15).
 *
 * The server runs in a child process so that its work does not count as the client's.
 *
 * Both sides use the same transport: `LM`'s default keep-alive `node:http` fetch, handed to the raw
 * SDK as its `fetch` too; `--transport=undici` makes both use Node's built-in `fetch` instead
 * (the SDK's own default, and `LM`'s transport before the `node:http` one).
 *
 * Run: node --conditions=@dspy-ts/source --import tsx scripts/bench/lm/run.ts [--transport=undici]
 */
// The root package does not depend on `openai`; use core's copy, the one `LM` runs on.

import { cpus, loadavg } from 'node:os';
import OpenAI from '../../../packages/core/node_modules/openai/index.mjs';
import { createHttpFetch, LM, MemoryCache } from '../../../packages/core/src/index.js';
import { startServer } from '../server/start.js';

const argv = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k ?? '', v ?? 'true'] as const;
  }),
);
const num = (k: string, d: number) => Number(argv.get(k) ?? d);

const ROUNDS = num('rounds', 80);
const PER_ROUND = num('per-round', 50);
const WARMUP = num('warmup', 10_000);
const HITS = num('hits', 100_000);
const LOAD = num('load', 1000);
const LATENCY = num('latency', 50);
const CONCURRENCY = num('concurrency', 50);
const UNDICI = argv.get('transport') === 'undici';
/** The transport both sides use: `undefined` = LM's default (node:http), else the global fetch. */
const lmFetch = UNDICI ? { fetch: globalThis.fetch } : {};
const rawFetch = () => (UNDICI ? {} : { fetch: createHttpFetch({ poolSize: 256 }) });

const messages = (i: number) => [
  { role: 'system' as const, content: 'Answer the question.' },
  { role: 'user' as const, content: `[[ ## question ## ]]\nWhat is the capital of France? (${i})` },
];

async function overhead() {
  await using server = await startServer(0);
  const lm = new LM('openai/gpt-4o-mini', { baseURL: server.url, apiKey: 'bench', cache: false, ...lmFetch });
  const raw = new OpenAI({ baseURL: server.url, apiKey: 'bench', ...rawFetch() });
  const body = (i: number) => ({ model: 'gpt-4o-mini', messages: messages(i) });
  // V8 needs several thousand calls to optimise the SDK's request path: warm both sides up
  // (10,000 calls each by default) so the timed blocks compare steady states.
  for (let i = 0; i < WARMUP; i++) {
    await lm.call({ messages: messages(-1 - i) });
    await raw.chat.completions.create(body(-1 - i));
  }
  const lm_ = { ms: 0, cpu: 0 };
  const raw_ = { ms: 0, cpu: 0 };
  /** Runs one block and returns its wall time in ms. */
  const block = async (side: 'lm' | 'raw', base: number): Promise<number> => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    if (side === 'lm') for (let i = 0; i < PER_ROUND; i++) await lm.call({ messages: messages(base + i) });
    else for (let i = 0; i < PER_ROUND; i++) await raw.chat.completions.create(body(base + i));
    const ms = performance.now() - t;
    const total = side === 'lm' ? lm_ : raw_;
    total.ms += ms;
    total.cpu += cpuMs(cpu);
    return ms;
  };
  /** Per round: raw block time ÷ LM block time (the two blocks ran back to back). */
  const pairs: number[] = [];
  // Alternate blocks so both sides share the same machine noise, and swap which side goes
  // first every round: the second block of a pair runs measurably faster than the first.
  for (let r = 0; r < ROUNDS; r++) {
    const base = r * PER_ROUND;
    const [first, second] = r % 2 === 0 ? (['lm', 'raw'] as const) : (['raw', 'lm'] as const);
    const one = await block(first, base);
    const two = await block(second, base);
    pairs.push(first === 'raw' ? one / two : two / one);
  }
  const n = ROUNDS * PER_ROUND;
  const sorted = [...pairs].sort((x, y) => x - y);
  return {
    pairedMedian: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
    lmRate: (n / lm_.ms) * 1000,
    rawRate: (n / raw_.ms) * 1000,
    lmCpu: lm_.cpu / n,
    rawCpu: raw_.cpu / n,
    n,
  };
}

/** A canned chat completion, as the server would send it. */
function canned(): Response {
  return new Response(
    JSON.stringify({
      id: 'x',
      object: 'chat.completion',
      created: 0,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Paris' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 20, completion_tokens: 2, total_tokens: 22 },
    }),
    { status: 200, headers: { 'content-type': 'application/json' } },
  );
}

/** (c') diagnostic: the same load through the LM with HTTP replaced by a 50 ms sleep. */
async function loadWithoutHttp() {
  const lm = new LM('openai/gpt-4o-mini', {
    baseURL: 'http://127.0.0.1:9/v1',
    apiKey: 'bench',
    cache: false,
    maxConcurrency: CONCURRENCY,
    fetch: async () => {
      await new Promise((r) => setTimeout(r, LATENCY));
      return canned();
    },
  });
  const t = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: LOAD }, (_, i) => lm.call({ messages: messages(i) })));
  const wall = (performance.now() - t) / 1000;
  return { wall, cpuMs: cpuMs(cpu) / LOAD, ratio: wall / ((LOAD / CONCURRENCY) * (LATENCY / 1000)) };
}

async function cacheHits() {
  const lm = new LM('openai/gpt-4o-mini', {
    baseURL: 'http://127.0.0.1:9/v1',
    apiKey: 'bench',
    cache: new MemoryCache(1000),
    fetch: async () => canned(),
  });
  const req = { messages: messages(0) };
  await lm.call(req);
  for (let i = 0; i < 10_000; i++) await lm.call(req);
  const t = performance.now();
  for (let i = 0; i < HITS; i++) await lm.call(req);
  const ms = performance.now() - t;
  if (lm.usage.cacheHits < HITS) throw new Error('expected cache hits');
  return { rate: (HITS / ms) * 1000, n: HITS };
}

/** Client CPU time (user + system) since `from`, in ms. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

async function load() {
  await using server = await startServer(LATENCY);
  const lm = new LM('openai/gpt-4o-mini', {
    baseURL: server.url,
    apiKey: 'bench',
    cache: false,
    maxConcurrency: CONCURRENCY,
    ...lmFetch,
  });
  // Reference: the raw SDK with a pool of the same size, on the same server.
  const raw = new OpenAI({ baseURL: server.url, apiKey: 'bench', ...rawFetch() });
  const viaLM = (offset: number) =>
    Promise.all(Array.from({ length: LOAD }, (_, i) => lm.call({ messages: messages(offset + i) })));
  const viaRaw = async (offset: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < LOAD)
          await raw.chat.completions.create({ model: 'gpt-4o-mini', messages: messages(offset + next++) });
      }),
    );
  };
  const timed = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    await fn();
    return { wall: (performance.now() - t) / 1000, cpu: cpuMs(cpu) / LOAD };
  };
  await viaLM(-LOAD);
  await viaRaw(-2 * LOAD);
  // Two runs each, interleaved; the better of each is reported.
  const runs = { lm: [] as { wall: number; cpu: number }[], raw: [] as { wall: number; cpu: number }[] };
  for (let r = 0; r < 2; r++) {
    runs.lm.push(await timed(() => viaLM(r * 2 * LOAD)));
    runs.raw.push(await timed(() => viaRaw((r * 2 + 1) * LOAD)));
  }
  const best = (xs: { wall: number; cpu: number }[]) => xs.reduce((a, b) => (b.wall < a.wall ? b : a));
  const l = best(runs.lm);
  const w = best(runs.raw);
  const ideal = (LOAD / CONCURRENCY) * (LATENCY / 1000);
  return { wall: l.wall, rawWall: w.wall, ideal, ratio: l.wall / ideal, lmCpuMs: l.cpu, rawCpuMs: w.cpu };
}

const a = await overhead();
const b = await cacheHits();
const c = await load();
const d = await loadWithoutHttp();
const ratioA = a.lmRate / a.rawRate;
const rows = [
  [
    '(a) LM ÷ raw openai SDK, cache off, sequential, 0 ms: median of per-round ratios',
    `${ROUNDS} rounds of ${PER_ROUND} calls per side`,
    a.pairedMedian.toFixed(3),
    '≥ 0.95',
    a.pairedMedian >= 0.95,
  ],
  [
    '(a) same, pooled over all blocks (noisier)',
    `${a.lmRate.toFixed(0)} / ${a.rawRate.toFixed(0)} calls/s`,
    ratioA.toFixed(3),
    '',
    ratioA >= 0.95,
  ],
  [
    '(a) same, by client CPU time (raw CPU ÷ LM CPU per call)',
    `${a.lmCpu.toFixed(3)} / ${a.rawCpu.toFixed(3)} ms per call`,
    (a.rawCpu / a.lmCpu).toFixed(3),
    '≥ 0.95',
    a.rawCpu / a.lmCpu >= 0.95,
  ],
  ['(b) cache-hit path, in-process', `${b.rate.toFixed(0)} calls/s`, '', '≥ 50,000/s', b.rate >= 50_000],
  [
    `(c) ${LOAD} calls, ${LATENCY} ms latency, maxConcurrency ${CONCURRENCY}`,
    `${c.wall.toFixed(3)} s (ideal ${c.ideal.toFixed(3)} s), CPU ${c.lmCpuMs.toFixed(2)} ms/call`,
    c.ratio.toFixed(3),
    '≤ 1.15',
    c.ratio <= 1.15,
  ],
  [
    "(c') same, HTTP replaced by a 50 ms sleep in `fetch`",
    `${d.wall.toFixed(3)} s, CPU ${d.cpuMs.toFixed(2)} ms/call`,
    d.ratio.toFixed(3),
    '',
    true,
  ],
  [
    '(c) reference: raw openai SDK, a pool of 50',
    `${c.rawWall.toFixed(3)} s, CPU ${c.rawCpuMs.toFixed(2)} ms/call`,
    (c.rawWall / c.ideal).toFixed(3),
    '',
    true,
  ],
] as const;
const w = [58, 52, 7, 11];
const line = (cells: readonly string[]) => `| ${cells.map((s, i) => s.padEnd(w[i] ?? 8)).join(' | ')} |`;
console.log(line(['measure', 'result', 'ratio', 'target', 'ok']));
console.log(line(w.map((n) => '-'.repeat(n)).concat('--')));
for (const [name, result, ratio, target, ok] of rows)
  console.log(line([name, result, ratio, target, ok ? 'yes' : 'NO']));
console.log(
  `\ntransport: ${UNDICI ? "Node's fetch (undici)" : 'node:http keep-alive'}; (a) ${a.n} calls per side in ${ROUNDS} alternating blocks (order swapped every round) after ${WARMUP} warm-up calls per side; (b) ${b.n} hits; node ${process.version}; ${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
