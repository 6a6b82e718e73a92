import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  configure,
  Example,
  evaluate,
  exactMatch,
  exactMatchOn,
  isDspyError,
  LM,
  Module,
  Predict,
  registerPrices,
  silentLogger,
  trackUsage,
  withSettings,
} from '@dspy-ts/core';
import { estimateCall, resetSettings } from '@dspy-ts/core/internal';
import { BootstrapRS } from '@dspy-ts/optimize';
import { ScriptedLM, startTestServer, type TestServer } from '@dspy-ts/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type EvaluateRunData, QueueRunner, RedisBudgetLedger, startWorker } from '../src/index.js';
import { PRICED_MODEL, PRICES } from './fixtures/budget.js';
import { answeringLM, devsetOf, QA } from './fixtures/qa.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CHILD = join('packages', 'distributed', 'test', 'fixtures', 'budget-worker-child.ts');
const REDIS = process.env.DSPY_TS_TEST_REDIS_URL as string;

registerPrices(PRICES);
afterEach(() => resetSettings());

/** Starts a worker process; resolves once it takes jobs. */
function spawnWorker(server: string, queue: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=@dspy-ts/source', '--import', 'tsx', CHILD, REDIS, server, queue],
    { cwd: ROOT, env: { ...process.env, DSPY_TS_CACHE_DIR: '' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((ready, fail) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) ready(child);
    });
    child.on('exit', (code) => fail(new Error(`worker exited with ${code} before it was ready`)));
  });
}

describe('RedisBudgetLedger', () => {
  it('grants concurrent reservations from several clients only up to the caps, and keeps the spend', async () => {
    const key = randomUUID();
    const a = new RedisBudgetLedger({ connection: REDIS, key });
    const b = new RedisBudgetLedger({ connection: REDIS, key });
    try {
      const estimate = { calls: 1, tokens: 10, cost: 0.001 };
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? a : b).reserve(estimate, { maxTokens: 105, maxCost: 1 }),
        ),
      );
      const granted = answers.filter((r) => r.granted);
      expect(granted).toHaveLength(10);
      const refused = answers.find((r) => !r.granted);
      expect(refused).toMatchObject({
        granted: false,
        limit: 'maxTokens',
        reserved: { calls: 10, tokens: 100 },
      });
      // Commit half with what they spent, release the rest.
      for (const [i, r] of granted.entries()) {
        if (!r.granted) continue;
        if (i < 5) await a.commit(r.id, { calls: 1, tokens: 7, cost: 0.0007 });
        else await b.release(r.id);
      }
      expect(await b.spent()).toEqual({ calls: 5, tokens: 35, cost: expect.closeTo(0.0035, 12) });
      // 35 spent + 7 reservations of 10 = 105: the eighth is refused.
      const more = await Promise.all(
        Array.from({ length: 8 }, () => a.reserve(estimate, { maxTokens: 105 })),
      );
      expect(more.filter((r) => r.granted)).toHaveLength(7);
      const cost = await a.reserve({ calls: 1, tokens: 0, cost: 0.5 }, { maxCost: 0.5 });
      expect(cost).toMatchObject({ granted: false, limit: 'maxCost' });
      await a.reset();
      expect(await a.spent()).toEqual({ calls: 0, tokens: 0, cost: 0 });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('drops a reservation held past its time (a process that died mid-call); a late commit still counts', async () => {
    const key = randomUUID();
    const ledger = new RedisBudgetLedger({ connection: REDIS, key, reservationTtlSeconds: 0.2 });
    try {
      const estimate = { calls: 1, tokens: 10, cost: 0 };
      const held = await ledger.reserve(estimate, { maxLMCalls: 1 });
      expect(held.granted).toBe(true);
      expect(await ledger.reserve(estimate, { maxLMCalls: 1 })).toMatchObject({ granted: false });
      await new Promise((r) => setTimeout(r, 300));
      const again = await ledger.reserve(estimate, { maxLMCalls: 1 });
      expect(again.granted).toBe(true);
      if (held.granted) await ledger.commit(held.id, { calls: 1, tokens: 8, cost: 0 });
      expect(await ledger.spent()).toMatchObject({ calls: 1, tokens: 8 });
      if (again.granted) await ledger.release(again.id);
      // The late commit's call is spent; nothing is held any more.
      expect(await ledger.reserve(estimate, { maxLMCalls: 1 })).toMatchObject({
        granted: false,
        spent: { calls: 1 },
        reserved: { calls: 0 },
      });
    } finally {
      await ledger.reset();
      await ledger.close();
    }
  });

  it('calls its scripts by SHA-1 (EVALSHA), sending a script again only to a Redis that lost it', async () => {
    const client = new Redis(REDIS);
    const ledger = new RedisBudgetLedger({ connection: client, key: randomUUID() });
    const evalsha = vi.spyOn(client, 'evalsha');
    const evalScript = vi.spyOn(client, 'eval');
    try {
      await client.script('FLUSH');
      const estimate = { calls: 1, tokens: 10, cost: 0 };
      const first = await ledger.reserve(estimate, { maxLMCalls: 2 });
      // The flushed Redis answered NOSCRIPT and the source went once (unless another process of
      // a shared test Redis loaded the same script in between).
      expect(first.granted).toBe(true);
      expect(evalsha).toHaveBeenCalledTimes(1);
      expect(evalScript.mock.calls.length).toBeLessThanOrEqual(1);
      const second = await ledger.reserve(estimate, { maxLMCalls: 2 });
      if (first.granted) await ledger.commit(first.id, { calls: 1, tokens: 8, cost: 0 });
      if (second.granted) await ledger.release(second.id);
      expect(second.granted).toBe(true);
      expect(evalsha).toHaveBeenCalledTimes(4);
      // Both scripts are cached now: only their SHA-1 travels.
      const sent = evalScript.mock.calls.length;
      expect(sent).toBeLessThanOrEqual(2);
      expect(await ledger.reserve(estimate, { maxLMCalls: 2 })).toMatchObject({ granted: true });
      expect(evalsha).toHaveBeenCalledTimes(5);
      expect(evalScript).toHaveBeenCalledTimes(sent);
      expect(await ledger.spent()).toMatchObject({ calls: 1, tokens: 8 });
    } finally {
      await ledger.reset();
      await ledger.close();
      await client.quit();
    }
  });

  it('a Redis it cannot reach fails the call with BUDGET_LEDGER instead of skipping the budget', async () => {
    const ledger = new RedisBudgetLedger({ connection: 'redis://127.0.0.1:1', key: 'nowhere' });
    try {
      const err = await ledger
        .reserve({ calls: 1, tokens: 1, cost: 0 }, { maxLMCalls: 5 })
        .catch((e: unknown) => e);
      expect(isDspyError(err, 'BUDGET_LEDGER')).toBe(true);
    } finally {
      await ledger.close();
    }
  }, 20_000);
});

describe('a budgeted run on a QueueRunner', () => {
  it('stores its caps and ledger key once, with the run’s data; its jobs carry only examples', async () => {
    const queueName = `budget-data-${randomUUID()}`;
    const queue = new Queue(queueName, { connection: { url: REDIS } });
    const redis = new Redis(REDIS);
    const runner = new QueueRunner({ connection: REDIS, queue: queueName, examplesPerJob: 2 });
    const budgetLedger = runner.budgetLedger();
    const stop = new AbortController();
    try {
      // No worker listens: the jobs wait until the run is stopped.
      const run = evaluate(new QA(), devsetOf(6), exactMatch, {
        runner,
        signal: stop.signal,
        progress: false,
        maxCost: 0.25,
        maxLMCalls: 40,
        budgetLedger,
      });
      while (((await queue.getJobCounts('waiting')).waiting ?? 0) < 3)
        await new Promise((r) => setTimeout(r, 20));
      const [runKey, ...others] = await redis.keys(`dspy-ts:run:${queueName}:*`);
      expect(others).toEqual([]);
      const data = JSON.parse((await redis.get(runKey as string)) ?? '{}') as EvaluateRunData;
      expect(data.budget).toEqual({
        caps: { maxCost: 0.25, maxLMCalls: 40 },
        key: budgetLedger.key,
        prefix: 'dspy-ts:budget:',
      });
      const jobs = await queue.getWaiting();
      expect(jobs).toHaveLength(3);
      for (const job of jobs) expect(Object.keys(job.data).sort()).toEqual(['examples', 'run']);
      stop.abort();
      expect((await run).interrupted).toBe(true);
    } finally {
      await runner.close();
      await queue.close();
      redis.disconnect();
    }
  });

  it('refuses a budget whose total is kept in this process, where the workers cannot see it', async () => {
    const runner = new QueueRunner({ connection: REDIS, queue: `budget-local-${randomUUID()}` });
    try {
      const err = await trackUsage(
        () => evaluate(new QA(), devsetOf(2), exactMatch, { runner, progress: false }),
        { maxLMCalls: 3 },
      ).catch((e: unknown) => e);
      expect(isDspyError(err, 'OPTION_INVALID')).toBe(true);
      expect((err as Error).message).toMatch(/workers cannot reach it/);
    } finally {
      await runner.close();
    }
  });
});

describe('a budget over worker processes', () => {
  let server: TestServer;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    server = await startTestServer({ lm: answeringLM(), latencyMs: 30, keepRequests: 0 });
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await server.close();
  });

  it.each([1, 4])(
    'holds maxCost for the whole run: the workers draw on one total in Redis (%i example(s) per job)',
    async (examplesPerJob) => {
      const lm = () =>
        new LM(PRICED_MODEL, { baseURL: server.url, apiKey: 'test', cache: false, maxTokens: 50 });
      const devset = devsetOf(40);
      // What one call costs, measured here.
      const one = await withSettings({ lm: lm(), logger: silentLogger }, () =>
        evaluate(new QA(), devset.slice(0, 1), exactMatch, { progress: false, maxCost: 1 }),
      );
      const perCall = one.usage?.cost ?? 0;
      // What the budget estimates a call at, at most: its prompt (plus a margin for the message
      // overhead the estimate adds) and 50 completion tokens.
      const oneEstimate = (((one.usage?.promptTokens ?? 0) + 20) * 2 + 50 * 8) / 1e6;
      expect(one.results[0]?.error?.message).toBeUndefined();
      expect(one.usage).toMatchObject({ calls: 1 });
      expect(perCall).toBeGreaterThan(0);

      const queue = `budget-${randomUUID()}`;
      children.push(...(await Promise.all([1, 2].map(() => spawnWorker(server.url, queue)))));
      const runner = new QueueRunner({
        connection: REDIS,
        queue,
        program: 'test/fixtures/qa.ts#QA',
        examplesPerJob,
      });
      const budgetLedger = runner.budgetLedger();
      const cap = 12.5 * perCall;
      const before = server.received;
      try {
        const report = await withSettings({ logger: silentLogger }, () =>
          evaluate(new QA(), devset, exactMatch, { runner, progress: false, maxCost: cap, budgetLedger }),
        );
        expect(report.interrupted).toBe(true);
        expect(isDspyError(report.budgetExhausted, 'BUDGET_EXHAUSTED')).toBe(true);
        expect(report.errors).toBe(0);
        const made = server.received - before;
        const spent = await budgetLedger.spent();
        // Every call of every worker is in the shared total, and the total is within the cap.
        expect(spent.calls).toBe(made);
        expect(spent.cost).toBeLessThanOrEqual(cap);
        // (Calls differ a little in length from the one measured.)
        expect(spent.cost).toBeGreaterThan(made * perCall * 0.9);
        expect(spent.cost).toBeLessThan(made * perCall * 1.1);
        // Refused only once the calls under way settled: within one call's estimate of the cap.
        expect(spent.cost).toBeGreaterThan(cap - oneEstimate);
        expect(made).toBeLessThanOrEqual(12);
        expect(made).toBeGreaterThan(0);
        expect(report.results.length).toBeLessThanOrEqual(made);
        expect(report.results.length).toBeLessThan(devset.length);
      } finally {
        await runner.close();
      }
    },
    60_000,
  );
});

/** The student of the compile test. */
class Student extends Module {
  predict = new Predict('input -> output');
  override forward(inputs: { input: string }) {
    return this.predict.forward(inputs);
  }
}

function numbered(n: number, prefix: string) {
  return Array.from({ length: n }, (_, i) =>
    new Example({ input: `${prefix}${i}`, output: `ans:${prefix}${i}` }).withInputs('input'),
  );
}

describe('a budgeted compile with a QueueRunner', () => {
  it('counts the local bootstrap calls and the workers’ candidate evaluations against one cap', async () => {
    const lm = new ScriptedLM(
      (req) => {
        const last = String(req.messages.at(-1)?.content ?? '');
        const input = /(\S+)\s*$/.exec(last.split('\n').find((l) => l.includes('input')) ?? '')?.[1] ?? '';
        return { output: req.messages.length > 2 ? `ans:${input}` : '?' };
      },
      { model: PRICED_MODEL },
    );
    configure({ lm, logger: silentLogger, lmRequest: { maxTokens: 40 } });
    const options = {
      metric: exactMatchOn('output'),
      numCandidatePrograms: 3,
      maxBootstrappedDemos: 2,
      seed: 7,
    };
    const data = { trainset: numbered(6, 'q'), valset: numbered(6, 'v') };
    const full = await new BootstrapRS(options).compile(new Student(), data);
    const oneCall = Math.max(...lm.requests.map((r) => estimateCall(PRICED_MODEL, r).cost ?? 0));
    const cap = full.report.total.cost / 2;

    const queue = `budget-compile-${randomUUID()}`;
    const worker = await startWorker({
      connection: REDIS,
      programs: { 'src/student.ts#Student': Student },
      queue,
    });
    const runner = new QueueRunner({ connection: REDIS, queue });
    const budgetLedger = runner.budgetLedger();
    const before = lm.requests.length;
    try {
      const { report } = await new BootstrapRS({ ...options, runner, maxCost: cap, budgetLedger }).compile(
        new Student(),
        data,
      );
      expect(report.stoppedBy).toBe('budget');
      const spent = await budgetLedger.spent();
      expect(spent.calls).toBe(lm.requests.length - before);
      expect(spent.cost).toBeLessThanOrEqual(cap);
      // A call is refused only once the calls under way have settled: within one call of the cap.
      expect(spent.cost).toBeGreaterThan(cap - oneCall);
      expect(report.total.cost).toBeLessThan(spent.cost);
    } finally {
      await runner.close();
      await worker.close();
    }
  }, 60_000);
});
