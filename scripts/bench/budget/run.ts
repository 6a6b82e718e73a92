/**
 * Budget benchmark: what a cost cap adds to each LM call, and how long a dry run takes.
 *
 * 1. Per-call overhead: `callLM` on an in-process model that answers at once (the worst case for
 *    a relative overhead), `CALLS` calls one at a time and with 16 in flight, in a `trackUsage`
 *    scope without a cap (the baseline), with `maxCost` on the default `MemoryBudgetLedger`, and
 *    with `maxCost` on a `RedisBudgetLedger` (a real `redis-server` started for the run).
 *    Printed: calls/s, µs per call, and time ÷ baseline, all measured in this run.
 * 2. `compile --dry-run`'s work: `MIPROv2.estimate` (auto light) for the Banking77 student on its
 *    train split, priced as openai/gpt-4o-mini; milliseconds per estimate.
 *
 * Run: node --conditions=@dspy-ts/source --import tsx scripts/bench/budget/run.ts [--calls=5000]
 */
import {
  callLM,
  configure,
  type LanguageModel,
  LM,
  type LMRequest,
  type LMResponse,
  silentLogger,
  trackUsage,
  type UsageLimits,
} from '../../../packages/core/src/index.js';
import { QueueRunner } from '../../../packages/distributed/src/index.js';
import { MIPROv2 } from '../../../packages/optimize/src/index.js';
import { startRedisServer } from '../../../packages/testing/src/index.js';
import { labelMatches, load, student } from '../optimize/program.js';

const argv = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k ?? '', v ?? 'true'] as const;
  }),
);
const CALLS = Number(argv.get('calls') ?? 5000);

/** Answers at once with a fixed usage: what is left to measure is the call path itself. */
const instant: LanguageModel = {
  model: 'openai/gpt-4o-mini',
  async call(): Promise<LMResponse> {
    return {
      text: 'ok',
      choices: ['ok'],
      usage: { promptTokens: 420, completionTokens: 30, totalTokens: 450 },
      model: 'openai/gpt-4o-mini',
      finishReason: 'stop',
      cacheHit: false,
    };
  },
};

const request: LMRequest = {
  messages: [
    { role: 'system', content: 'Classify the customer message into one banking intent.'.repeat(8) },
    { role: 'user', content: 'My card has still not arrived after two weeks, what should I do?' },
  ],
  maxTokens: 64,
};

async function timed(limits: UsageLimits | undefined, inFlight: number): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next++ < CALLS) await callLM(instant, request);
  };
  const t = performance.now();
  await trackUsage(() => Promise.all(Array.from({ length: inFlight }, worker)), limits);
  return performance.now() - t;
}

async function overhead(redisUrl: string): Promise<void> {
  const runner = new QueueRunner({ connection: redisUrl });
  const cap = 1e6; // never reached: only the checking is measured
  const rows: [string, number, number][] = [];
  try {
    for (const inFlight of [1, 16]) {
      await timed(undefined, inFlight); // warm-up
      const base = await timed(undefined, inFlight);
      rows.push([`no cap, ${inFlight} in flight`, inFlight, base]);
      rows.push([
        `maxCost, MemoryBudgetLedger, ${inFlight} in flight`,
        inFlight,
        await timed({ maxCost: cap }, inFlight),
      ]);
      const ledger = runner.budgetLedger();
      rows.push([
        `maxCost, RedisBudgetLedger, ${inFlight} in flight`,
        inFlight,
        await timed({ maxCost: cap, ledger }, inFlight),
      ]);
      await ledger.reset();
    }
  } finally {
    await runner.close();
  }
  console.log(`Per-call overhead of a cap: ${CALLS} calls of an in-process model that answers at once\n`);
  console.log('| scope | calls/s | µs per call | time ÷ no cap (same concurrency) |');
  console.log('|---|---|---|---|');
  const baseOf = new Map(rows.filter((r) => r[0].startsWith('no cap')).map((r) => [r[1], r[2]]));
  for (const [name, inFlight, ms] of rows) {
    const rate = CALLS / (ms / 1000);
    const ratio = ms / (baseOf.get(inFlight) ?? ms);
    console.log(
      `| ${name} | ${Math.round(rate).toLocaleString('en-US')} | ${((ms * 1000) / CALLS).toFixed(1)} | ${ratio.toFixed(2)} |`,
    );
  }
}

async function dryRun(): Promise<void> {
  const train = await load('banking77-10.train.jsonl');
  const intents = [...new Set(train.map((e) => String(e.get('label'))))].sort();
  configure({ lm: new LM('openai/gpt-4o-mini', { apiKey: 'bench' }), logger: silentLogger });
  const optimizer = new MIPROv2({ metric: labelMatches, auto: 'light' });
  optimizer.estimate(student(intents), { trainset: train }); // warm-up
  const runs = 20;
  const t = performance.now();
  let calls = 0;
  let cost: number | undefined;
  for (let i = 0; i < runs; i++) {
    const e = optimizer.estimate(student(intents), { trainset: train });
    calls = e.calls;
    cost = e.cost;
  }
  const ms = (performance.now() - t) / runs;
  console.log(
    `\nDry run: MIPROv2 auto light, Banking77 student (${intents.length} intents), ${train.length} train examples\n`,
  );
  console.log('| planned LM calls | estimated cost (gpt-4o-mini) | ms per estimate |');
  console.log('|---|---|---|');
  console.log(`| ${calls} | $${cost?.toFixed(3) ?? 'n/a'} | ${ms.toFixed(1)} |`);
}

async function main(): Promise<void> {
  configure({ logger: silentLogger });
  const redis = await startRedisServer();
  try {
    await overhead(redis.url);
  } finally {
    await redis.stop();
  }
  await dryRun();
}

await main();
