/**
 * Shared Redis cache benchmark, against a real `redis-server` started for the run.
 *
 * 1. A second developer's compile: developer A compiles the Banking77 program (the optimizer
 *    benchmark's student and split) with memory → Redis → disk; developer B, with a fresh
 *    memory tier and a disk directory of its own, compiles the same program on the same Redis.
 *    Printed: LM calls each made (target for B: 0), wall B ÷ A, and whether the artifacts are
 *    byte-identical. The model is OfflineLM behind the test server with `--latency` ms per
 *    request (default 20) standing in for a hosted model.
 * 2. The Redis tier's hit path from one process: hits/s of `RedisCache.get` one at a time and
 *    with 64 in flight, against `MemoryCache.get` on the same entries in the same run.
 *
 * Run: node --conditions=@dspy-ts/source --import tsx scripts/bench/redis-cache/run.ts \
 *        [--optimizer=BootstrapRS] [--latency=20] [--threads=16] [--hits=20000]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CachedResponse,
  configure,
  configureCache,
  LM,
  MemoryCache,
  RedisCache,
  silentLogger,
} from '../../../packages/core/src/index.js';
import { resetCacheConfig } from '../../../packages/core/src/internal.js';
import { OfflineLM, startRedisServer, startTestServer } from '../../../packages/testing/src/index.js';
import { BENCH_OPTIMIZERS } from '../optimize/optimizers.js';
import { labelMatches, load, RolloutLM, student } from '../optimize/program.js';

const argv = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k ?? '', v ?? 'true'] as const;
  }),
);
const OPTIMIZER = argv.get('optimizer') ?? 'BootstrapRS';
const LATENCY = Number(argv.get('latency') ?? 20);
const THREADS = Number(argv.get('threads') ?? 16);
const HITS = Number(argv.get('hits') ?? 20_000);

async function secondDeveloper(redisUrl: string, work: string): Promise<void> {
  const entry = BENCH_OPTIMIZERS[OPTIMIZER];
  if (!entry)
    throw new Error(`unknown optimizer ${OPTIMIZER}; known: ${Object.keys(BENCH_OPTIMIZERS).join(', ')}`);
  const train = await load('banking77-10.train.jsonl');
  const intents = [...new Set(train.map((e) => String(e.get('label'))))].sort();
  await using server = await startTestServer({ lm: new OfflineLM(), latencyMs: LATENCY });
  const compileAs = async (developer: string) => {
    // A developer of their own: a fresh memory tier and disk directory, the team's Redis.
    configureCache({ dir: join(work, `disk-${developer}`), redis: { url: redisUrl } });
    configure({
      lm: new RolloutLM(
        new LM('openai/offline', { baseURL: server.url, apiKey: 'bench', maxConcurrency: THREADS }),
      ),
    });
    const sent = server.requests.length;
    const t = performance.now();
    const { program } = await entry
      .make(labelMatches, 0, THREADS)
      .compile(student(intents), { trainset: train });
    const ms = performance.now() - t;
    const file = join(work, `${developer}.json`);
    await (program as unknown as { save(p: string): Promise<void> }).save(file);
    return { ms, calls: server.requests.length - sent, artifact: await readFile(file, 'utf8') };
  };
  const a = await compileAs('a');
  const b = await compileAs('b');
  resetCacheConfig();
  console.log(
    `Second developer's compile: ${OPTIMIZER} (${entry.settings}), ${train.length} train, OfflineLM via test server (latency ${LATENCY} ms), threads ${THREADS}\n`,
  );
  console.log('| developer | LM calls | wall s | wall ÷ first | same artifact |');
  console.log('|---|---|---|---|---|');
  console.log(`| A (first, cold Redis) | ${a.calls} | ${(a.ms / 1000).toFixed(2)} | 1 | |`);
  console.log(
    `| B (fresh memory and disk, same Redis) | ${b.calls} | ${(b.ms / 1000).toFixed(3)} | ${(b.ms / a.ms).toFixed(3)} | ${b.artifact === a.artifact ? 'yes' : 'no'} |`,
  );
}

function response(i: number): CachedResponse {
  const text = `[[ ## reasoning ## ]]\nThe customer asks about card ${i}.\n\n[[ ## label ## ]]\ncard_arrival\n\n[[ ## completed ## ]]`;
  return {
    text,
    choices: [text],
    model: 'openai/gpt-4o-mini',
    finishReason: 'stop',
    usage: { promptTokens: 420, completionTokens: 30, totalTokens: 450 },
  };
}

async function hitRate(get: (key: string) => Promise<unknown>, keys: readonly string[], inFlight: number) {
  let next = 0;
  const t = performance.now();
  const worker = async () => {
    while (next < HITS) {
      const key = keys[next++ % keys.length] ?? '';
      if (!(await get(key))) throw new Error('expected a hit');
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return HITS / ((performance.now() - t) / 1000);
}

async function hitPath(redisUrl: string): Promise<void> {
  const redis = new RedisCache({ url: redisUrl, keyPrefix: 'bench:hits:' });
  const memory = new MemoryCache(10_000);
  const keys = Array.from({ length: 1000 }, (_, i) => i.toString(16).padStart(64, '0'));
  for (const [i, key] of keys.entries()) {
    await redis.set(key, response(i));
    await memory.set(key, response(i));
  }
  const rows: [string, number][] = [];
  for (const inFlight of [1, 64]) {
    rows.push([`RedisCache.get, ${inFlight} in flight`, await hitRate((k) => redis.get(k), keys, inFlight)]);
  }
  rows.push(['MemoryCache.get', await hitRate((k) => memory.get(k), keys, 1)]);
  await redis.close();
  console.log(
    `\nHit path from one process: ${HITS} gets over ${keys.length} entries (about 450 tokens each)\n`,
  );
  console.log('| tier | hits/s |');
  console.log('|---|---|');
  for (const [name, rate] of rows) console.log(`| ${name} | ${Math.round(rate).toLocaleString('en-US')} |`);
}

async function main(): Promise<void> {
  configure({ logger: silentLogger, numThreads: THREADS });
  const redis = await startRedisServer();
  const work = await mkdtemp(join(tmpdir(), 'dspy-bench-redis-'));
  try {
    await secondDeveloper(redis.url, work);
    await hitPath(redis.url);
  } finally {
    await rm(work, { recursive: true, force: true });
    await redis.stop();
  }
}

await main();
