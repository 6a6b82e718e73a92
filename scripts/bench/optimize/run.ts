/**
 * Optimizer benchmark. OfflineLM behind the OpenAI-protocol test server, called through the
 * real `LM` client (its disk cache in a temp `DSPY_TS_CACHE_DIR`), on a seeded Banking77 split
 * (200 train, 300 dev; see data/README.md). For each optimizer: dev score before (zero-shot)
 * and after, LM calls that reached the server, tokens, wall time, the calls DSPy's algorithm
 * implies for the same settings, and a warm-cache recompile (new LM, same cache dir): wall ÷
 * cold (target ≤ 0.05) with 0 calls, and whether its artifact is byte-identical.
 *
 * The student is the realistic Banking77 signature: `label` is a literal union of the intents in
 * the split, so a sampled run (temperature 1.0, distinct rollout id) can pick another option.
 * A hosted model samples at temperature 1.0 by itself; the OfflineLM behind the server samples
 * only from a rollout id, which `LM` keeps for its cache key, so `RolloutLM` forwards it as the
 * `rollout_id` body field the test server reads.
 *
 * Run: node --conditions=@dspy-ts/source --import tsx scripts/bench/optimize/run.ts \
 *        [--optimizers=LabeledFewShot,BootstrapFewShot,BootstrapRS,KNNFewShot] [--threads=16] [--seed=0]
 *        [--latency=0] [--out=dir]
 * `--out` saves each cold run's report (JSON, text table, SVG chart) under dir/<optimizer>/.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, configureCache, evaluate, LM, silentLogger } from '../../../packages/core/src/index.js';
import { type CompilableProgram, saveReport } from '../../../packages/optimize/src/index.js';
import { runProgram } from '../../../packages/optimize/src/internal.js';
import { OfflineLM, startTestServer } from '../../../packages/testing/src/index.js';
import { BENCH_OPTIMIZERS } from './optimizers.js';
import { labelMatches, load, RolloutLM, student } from './program.js';

const argv = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k ?? '', v ?? 'true'] as const;
  }),
);
const THREADS = Number(argv.get('threads') ?? 16);
const SEED = Number(argv.get('seed') ?? 0);
const NAMES = (argv.get('optimizers') ?? Object.keys(BENCH_OPTIMIZERS).join(',')).split(',');
const OUT = argv.get('out');
/** Server latency per request in ms, to stand in for a hosted model (default 0). */
const LATENCY = Number(argv.get('latency') ?? 0);

async function devScore(program: CompilableProgram, dev: Awaited<ReturnType<typeof load>>): Promise<number> {
  const runnable = { forward: (inputs: Record<string, unknown>) => runProgram(program, inputs) };
  const r = await evaluate(runnable, dev, (ex, pred) => pred.get('label') === ex.get('label'), {
    concurrency: THREADS,
    progress: false,
  });
  return r.score;
}

interface Row {
  name: string;
  settings: string;
  before: number;
  after: number;
  calls: number;
  implied: number;
  tokens: number;
  coldMs: number;
  warmMs: number;
  warmCalls: number;
  identical: boolean;
}

async function main() {
  const unknown = NAMES.filter((n) => !BENCH_OPTIMIZERS[n]);
  if (unknown.length > 0)
    throw new Error(
      `unknown optimizers: ${unknown.join(', ')}; known: ${Object.keys(BENCH_OPTIMIZERS).join(', ')}`,
    );
  const train = await load('banking77-10.train.jsonl');
  const dev = await load('banking77-10.dev.jsonl');
  await using server = await startTestServer({ lm: new OfflineLM(), latencyMs: LATENCY });
  const newLM = () =>
    new RolloutLM(
      new LM('openai/offline', { baseURL: server.url, apiKey: 'bench', maxConcurrency: THREADS }),
    );
  const intents = [...new Set(train.map((e) => String(e.get('label'))))].sort();
  configure({ logger: silentLogger, numThreads: THREADS });
  const work = await mkdtemp(join(tmpdir(), 'dspy-bench-opt-'));
  const rows: Row[] = [];
  try {
    configureCache({ dir: join(work, 'baseline-cache') });
    configure({ lm: newLM() });
    const before = await devScore(student(intents), dev);
    for (const name of NAMES) {
      const entry = BENCH_OPTIMIZERS[name]!;
      const cacheDir = join(work, `cache-${name}`);
      const compileOnce = async (tag: string) => {
        configureCache({ dir: cacheDir });
        configure({ lm: newLM() });
        const sent = server.requests.length;
        const t = performance.now();
        const { program, report } = await entry
          .make(labelMatches, SEED, THREADS)
          .compile(student(intents), { trainset: train });
        const ms = performance.now() - t;
        const calls = server.requests.length - sent;
        const file = join(work, `${name}-${tag}.json`);
        await (program as unknown as { save(p: string): Promise<void> }).save(file);
        return { program, report, ms, calls, artifact: await readFile(file, 'utf8') };
      };
      const cold = await compileOnce('cold');
      const warm = await compileOnce('warm');
      const after = await devScore(cold.program, dev);
      if (OUT) await saveReport(cold.report, join(OUT, name));
      rows.push({
        name,
        settings: entry.settings,
        before,
        after,
        calls: cold.calls,
        implied: cold.report.dspyImpliedCalls.calls,
        tokens: cold.report.total.totalTokens,
        coldMs: cold.ms,
        warmMs: warm.ms,
        warmCalls: warm.calls,
        identical: warm.artifact === cold.artifact,
      });
      process.stderr.write(`${name}: done\n`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const f = (n: number) => n.toFixed(1);
  console.log(
    `Banking77 (10 intents): ${train.length} train, ${dev.length} dev; OfflineLM via test server (latency ${LATENCY} ms); threads ${THREADS}; seed ${SEED}\n`,
  );
  console.log(
    '| optimizer | settings | dev before | dev after | LM calls | DSPy-implied calls | tokens | cold s | warm s | warm ÷ cold | warm calls | same artifact |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.settings} | ${f(r.before)} | ${f(r.after)} | ${r.calls} | ${r.implied} | ${r.tokens} | ${(r.coldMs / 1000).toFixed(2)} | ${(r.warmMs / 1000).toFixed(3)} | ${(r.warmMs / r.coldMs).toFixed(3)} | ${r.warmCalls} | ${r.identical ? 'yes' : 'no'} |`,
    );
  }
}

await main();
