import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type EvaluationReport,
  Example,
  evaluate,
  exactMatch,
  isDspyError,
  LM,
  silentLogger,
  withSettings,
} from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { QueueRunner } from '@dspy-ts/distributed';
import { ScriptedLM, startTestServer, type TestServer } from '@dspy-ts/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadDistributed, redactUrl, type StopSignals, workerCommand } from '../../src/commands/worker.js';
import { EXIT_USAGE, runCli } from '../../src/index.js';
import { capture } from './capture.js';
import { QA, sameAnswer } from './fixtures/qa-program.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(HERE, 'fixtures');
const BIN = resolve(HERE, '..', '..', 'bin', 'dspy-ts.js');
const REDIS = process.env.DSPY_TS_TEST_REDIS_URL as string;

/** Questions `q<i>` with answers `a<i>`. */
function devsetOf(n: number) {
  return Array.from({ length: n }, (_, i) =>
    new Example({ question: `q${i}`, answer: `a${i}` }).withInputs('question'),
  );
}

/** Answers `a<i>` to `q<i>`, except every fourth question, answered wrong. */
function answeringLM(): ScriptedLM {
  return new ScriptedLM(
    (req) => {
      const n = Number(/\bq(\d+)\b/.exec(String(req.messages.at(-1)?.content ?? ''))?.[1] ?? -1);
      return { answer: n % 4 === 0 ? 'wrong' : `a${n}` };
    },
    { keepRequests: 0 },
  );
}

/** What must match between two runs, example by example. */
function outcomes(report: EvaluationReport) {
  return report.results.map((r) => ({
    index: r.index,
    score: r.score,
    answer: (r.prediction?.toJSON() as { answer?: string } | undefined)?.answer,
    error: r.error?.message,
  }));
}

interface WorkerProcess {
  readonly child: ChildProcess;
  /** Everything it wrote on stderr so far. */
  readonly log: () => string;
  /** Resolves with its exit code. */
  readonly exited: Promise<number | null>;
}

/** Starts `dspy-ts worker` in the fixtures directory; resolves once it says it is ready. */
function startWorkerProcess(server: string, queue: string): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'worker',
      '--program',
      'qa-program.ts#QA',
      '--redis',
      REDIS,
      '--queue',
      queue,
      '--lm',
      'openai/test-model',
      '--base-url',
      server,
      '--concurrency',
      '4',
      '--stalled-after',
      '5000',
      '--log-every',
      '0',
    ],
    {
      cwd: FIXTURES,
      env: { ...process.env, DSPY_TS_CACHE_DIR: '', DSPY_TS_LM: '', DSPY_TS_REDIS_URL: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((ready, fail) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes(' ready: ')) ready({ child, log: () => log, exited });
    });
    void exited.then((code) =>
      fail(new Error(`dspy-ts worker exited with ${code} before it was ready:\n${log}`)),
    );
  });
}

describe('dspy-ts worker processes', () => {
  let server: TestServer;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    server = await startTestServer({ lm: answeringLM(), latencyMs: 400, keepRequests: 0 });
  });

  afterAll(async () => {
    for (const { child } of workers) if (child.exitCode === null) child.kill('SIGKILL');
    await server.close();
  });

  it('run an evaluation queued by a QueueRunner, with the local result, and stop cleanly on SIGTERM', async () => {
    const devset = devsetOf(60);
    const lm = new LM('openai/test-model', { baseURL: server.url, apiKey: 'test', cache: false });
    const local = await withSettings({ lm, logger: silentLogger }, () =>
      evaluate(new QA(), devset, exactMatch, { progress: false, concurrency: 8 }),
    );
    expect(local.score).toBeCloseTo((100 * 45) / 60);

    const queue = `cli-${randomUUID()}`;
    const [first, second, third] = await Promise.all(
      [1, 2, 3].map(() => startWorkerProcess(server.url, queue)),
    );
    workers.push(first as WorkerProcess, second as WorkerProcess, third as WorkerProcess);
    const finisher = first as WorkerProcess;
    const releaser = second as WorkerProcess;
    const before = server.received;
    let signalled = false;
    // Well into the run: one worker is asked to stop (it finishes its running jobs), another is
    // asked twice (it gives its running jobs back to the queue at once).
    const stopper = setInterval(() => {
      if (signalled || server.received - before < 12) return;
      signalled = true;
      finisher.child.kill('SIGTERM');
      releaser.child.kill('SIGTERM');
      // The second signal once the first is handled, while its jobs still wait on the model.
      const again = setInterval(() => {
        if (!releaser.log().includes('SIGTERM: stopping')) return;
        clearInterval(again);
        releaser.child.kill('SIGTERM');
      }, 2);
    }, 5);
    const runner = new QueueRunner({ connection: REDIS, queue, program: 'qa-program.ts#QA' });
    try {
      const remote = await withSettings({ logger: silentLogger }, () =>
        evaluate(new QA(), devset, exactMatch, { runner, progress: false }),
      );
      expect(signalled).toBe(true);
      expect(outcomes(remote)).toEqual(outcomes(local));
      expect(remote.errors).toBe(0);
    } finally {
      clearInterval(stopper);
      await runner.close();
    }

    expect(await finisher.exited).toBe(0);
    expect(finisher.log()).toMatch(/SIGTERM: stopping; finishing \d+ running example\(s\)/);
    expect(finisher.log()).toMatch(/stopped after \d+ example\(s\)/);
    expect(await releaser.exited).toBe(0);
    const given = Number(
      /giving the jobs of (\d+) running example\(s\) back to the queue/.exec(releaser.log())?.[1] ?? 0,
    );
    expect(given).toBeGreaterThan(0);
    // The jobs given back were run again from the start elsewhere: their LM calls were made twice.
    expect(server.received - before).toBeGreaterThan(devset.length);
    expect(server.received - before).toBeLessThanOrEqual(devset.length + given);

    const last = third as WorkerProcess;
    expect(last.log()).toContain('ready: queue');
    expect(last.log()).toMatch(/run [\w-]+: program qa-program\.ts#QA/);
    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);
    // Every example was run by one of the workers; the stopped ones said how many they did.
    const done = [finisher, releaser, last].map((w) =>
      Number(/stopped after (\d+) example/.exec(w.log())?.[1] ?? Number.NaN),
    );
    expect(done.every(Number.isInteger)).toBe(true);
    expect(done.reduce((a, b) => a + b, 0)).toBe(devset.length);
  }, 120_000);
});

describe('dspy-ts worker in this process', () => {
  afterEach(() => resetSettings());

  it('serves an exported program instance (a copy per run) and a metric function of the project', async () => {
    const server = await startTestServer({ lm: answeringLM(), keepRequests: 0 });
    const listeners: ((signal: string) => void)[] = [];
    const signals: StopSignals = {
      on: (listener) => {
        listeners.push(listener);
        return () => undefined;
      },
    };
    const queue = `inproc-${randomUUID()}`;
    const io = capture();
    const cwd = process.cwd();
    process.chdir(FIXTURES);
    const runner = new QueueRunner({ connection: REDIS, queue, program: 'qa-program.ts#qaInstance' });
    try {
      const done = workerCommand(
        {
          program: ['qa-program.ts#qaInstance'],
          metric: ['qa-program.ts#sameAnswer'],
          redis: REDIS,
          queue,
          lm: 'openai/test-model',
          baseUrl: server.url,
          logEvery: '0',
        },
        io,
        signals,
      );
      while (!io.err().includes(' ready: ')) {
        if (io.err().includes('dspy-ts:')) throw new Error(io.err());
        await new Promise((r) => setTimeout(r, 20));
      }
      const devset = devsetOf(12);
      const lm = new LM('openai/test-model', { baseURL: server.url, apiKey: 'test', cache: false });
      const local = await withSettings({ lm, logger: silentLogger }, () =>
        evaluate(new QA(), devset, sameAnswer, { progress: false }),
      );
      const remote = await withSettings({ logger: silentLogger }, () =>
        evaluate(new QA(), devset, sameAnswer, { runner, progress: false }),
      );
      expect(outcomes(remote)).toEqual(outcomes(local));
      expect(remote.score).toBeCloseTo((100 * 9) / 12);
      for (const listener of listeners) listener('SIGINT');
      expect(await done).toBe(0);
      expect(io.err()).toMatch(/run [\w-]+: program qa-program\.ts#qaInstance/);
      expect(io.err()).toContain('SIGINT: stopping');
      expect(io.err()).toContain('stopped after 12 example(s)');
    } finally {
      process.chdir(cwd);
      await runner.close();
      await server.close();
    }
  });
});

describe('dspy-ts worker and a budget', () => {
  afterEach(() => resetSettings());

  it("checks each LM call against the run's total in Redis: maxLMCalls holds for the whole run", async () => {
    const server = await startTestServer({ lm: answeringLM(), keepRequests: 0 });
    const listeners: ((signal: string) => void)[] = [];
    const signals: StopSignals = {
      on: (listener) => {
        listeners.push(listener);
        return () => undefined;
      },
    };
    const queue = `budget-${randomUUID()}`;
    const io = capture();
    const cwd = process.cwd();
    process.chdir(FIXTURES);
    const runner = new QueueRunner({
      connection: REDIS,
      queue,
      program: 'qa-program.ts#QA',
      examplesPerJob: 2,
    });
    const budgetLedger = runner.budgetLedger();
    try {
      const done = workerCommand(
        {
          program: ['qa-program.ts#QA'],
          redis: REDIS,
          queue,
          lm: 'openai/test-model',
          baseUrl: server.url,
          logEvery: '0',
        },
        io,
        signals,
      );
      while (!io.err().includes(' ready: ')) {
        if (io.err().includes('dspy-ts:')) throw new Error(io.err());
        await new Promise((r) => setTimeout(r, 20));
      }
      // Questions no other test of this process asks: a call its LM cache answered would cost
      // nothing and never be refused.
      const devset = devsetOf(112).slice(100);
      const before = server.received;
      const report = await withSettings({ logger: silentLogger }, () =>
        evaluate(new QA(), devset, exactMatch, {
          runner,
          progress: false,
          maxLMCalls: 5,
          budgetLedger,
        }),
      );
      expect(isDspyError(report.budgetExhausted, 'BUDGET_EXHAUSTED')).toBe(true);
      expect(report.interrupted).toBe(true);
      // The worker made exactly the calls the cap allows, each counted in the shared total.
      expect(server.received - before).toBe(5);
      expect((await budgetLedger.spent()).calls).toBe(5);
      expect(report.results.length).toBeLessThanOrEqual(5);
      for (const listener of listeners) listener('SIGINT');
      expect(await done).toBe(0);
    } finally {
      process.chdir(cwd);
      await runner.close();
      await server.close();
    }
  });
});

describe('dspy-ts worker errors', () => {
  it('names a program module or export that does not exist (exit 2)', async () => {
    const io = capture();
    const cwd = process.cwd();
    process.chdir(FIXTURES);
    try {
      expect(await runCli(['worker', '--program', 'qa-program.ts#Nope', '--redis', REDIS], io)).toBe(
        EXIT_USAGE,
      );
      expect(io.err()).toContain("qa-program.ts has no export 'Nope'");
      expect(io.err()).toContain('qa-program.ts#QA');
      const missing = capture();
      expect(await runCli(['worker', '--program', 'nowhere.ts#QA', '--redis', REDIS], missing)).toBe(
        EXIT_USAGE,
      );
      expect(missing.err()).toContain('program module not found: nowhere.ts');
    } finally {
      process.chdir(cwd);
    }
  });

  it('says when no Redis answers, without the password (exit 2)', async () => {
    const io = capture();
    const cwd = process.cwd();
    process.chdir(FIXTURES);
    try {
      // A port nothing listens on: the one of a server started and stopped at once.
      const { createServer } = await import('node:net');
      const probe = createServer();
      const port = await new Promise<number>((done) =>
        probe.listen(0, '127.0.0.1', () => done((probe.address() as { port: number }).port)),
      );
      await new Promise((done) => probe.close(done));
      const url = `redis://user:hunter2@127.0.0.1:${port}`;
      expect(await runCli(['worker', '--program', 'qa-program.ts#QA', '--redis', url], io)).toBe(EXIT_USAGE);
      expect(io.err()).toContain(`no Redis answers at redis://user:***@127.0.0.1:${port}, from --redis`);
      expect(io.err()).toContain('ECONNREFUSED');
      expect(io.err()).toContain('How to fix: Start a Redis');
      expect(io.err()).not.toContain('hunter2');

      const bad = capture();
      expect(await runCli(['worker', '--program', 'qa-program.ts#QA', '--redis', 'http://h:1'], bad)).toBe(
        EXIT_USAGE,
      );
      expect(bad.err()).toContain("--redis must be a redis:// or rediss:// URL, not 'http://h:1'");
    } finally {
      process.chdir(cwd);
    }
  });

  it('says how to install @dspy-ts/distributed when it is missing', async () => {
    const missing = Object.assign(new Error("Cannot find package '@dspy-ts/distributed'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    await expect(loadDistributed(() => Promise.reject(missing))).rejects.toMatchObject({
      code: 'CLI_USAGE',
      message: expect.stringContaining('npm install @dspy-ts/distributed'),
    });
    const other = new Error('syntax error in the package');
    await expect(loadDistributed(() => Promise.reject(other))).rejects.toBe(other);
  });

  it('never shows a password of a Redis URL', () => {
    expect(redactUrl('redis://default:s3cret@cache.internal:6380/2')).toBe(
      'redis://default:***@cache.internal:6380/2',
    );
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
