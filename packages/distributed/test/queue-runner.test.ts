import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DspyError,
  type EvaluationReport,
  Example,
  evaluate,
  exactMatch,
  Image,
  LM,
  Module,
  Predict,
  Prediction,
  silentLogger,
  withSettings,
} from '@dspy-ts/core';
import { startTestServer, type TestServer } from '@dspy-ts/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { png } from '../../core/test/media/fixtures.js';
import { QueueRunner, startWorker } from '../src/index.js';
import { answeringLM, devsetOf, QA } from './fixtures/qa.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CHILD = join('packages', 'distributed', 'test', 'fixtures', 'worker-child.ts');
const REDIS = process.env.DSPY_TS_TEST_REDIS_URL as string;

/** Starts a worker process; resolves once it takes jobs. */
function spawnWorker(server: string, queue: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=@dspy-ts/source', '--import', 'tsx', CHILD, REDIS, server, queue],
    {
      cwd: ROOT,
      env: { ...process.env, DSPY_TS_CACHE_DIR: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((ready, fail) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) ready(child);
    });
    child.on('exit', (code) => fail(new Error(`worker exited with ${code} before it was ready`)));
  });
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

describe('QueueRunner over worker processes', () => {
  let server: TestServer;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    server = await startTestServer({ lm: answeringLM(), latencyMs: 100, keepRequests: 0 });
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await server.close();
  });

  it.each([1, 4])(
    'gives exactly the local result when one of three workers is killed mid-run (%i example(s) per job)',
    async (examplesPerJob) => {
      const devset = devsetOf(90);
      const lm = () => new LM('openai/test-model', { baseURL: server.url, apiKey: 'test', cache: false });
      const local = await withSettings({ lm: lm(), logger: silentLogger }, () =>
        evaluate(new QA(), devset, exactMatch, { progress: false, concurrency: 12 }),
      );
      expect(local.score).toBeCloseTo((100 * 60) / 90);

      const queue = `kill-${randomUUID()}`;
      const three = await Promise.all([1, 2, 3].map(() => spawnWorker(server.url, queue)));
      children.push(...three);
      const before = server.received;
      const victim = three[0] as ChildProcess;
      // SIGKILL once the workers are well into the run: the victim holds jobs it never finishes.
      const killer = setInterval(() => {
        if (server.received - before >= 20 && victim.exitCode === null) victim.kill('SIGKILL');
      }, 10);
      const runner = new QueueRunner({
        connection: REDIS,
        queue,
        program: 'test/fixtures/qa.ts#QA',
        examplesPerJob,
      });
      try {
        const remote = await withSettings({ logger: silentLogger }, () =>
          evaluate(new QA(), devset, exactMatch, { runner, progress: false }),
        );
        expect(victim.signalCode).toBe('SIGKILL');
        expect(outcomes(remote)).toEqual(outcomes(local));
        expect(remote.score).toBe(local.score);
        expect(remote.errors).toBe(0);
      } finally {
        clearInterval(killer);
        await runner.close();
      }
    },
    60_000,
  );
});

describe('QueueRunner', () => {
  it('removes the queued jobs of a cancelled run', async () => {
    const queueName = `cancel-${randomUUID()}`;
    const queue = new Queue(queueName, { connection: { url: REDIS } });
    const runner = new QueueRunner({ connection: REDIS, queue: queueName });
    const stop = new AbortController();
    try {
      // No worker listens: every job waits until the run is cancelled.
      const run = evaluate(new QA(), devsetOf(20), exactMatch, {
        runner,
        signal: stop.signal,
        progress: false,
      });
      while (((await queue.getJobCounts('waiting')).waiting ?? 0) < 20)
        await new Promise((r) => setTimeout(r, 20));
      stop.abort();
      const report = await run;
      expect(report.interrupted).toBe(true);
      expect(report.results).toHaveLength(0);
      expect(await queue.getJobCounts('waiting', 'active', 'delayed')).toEqual({
        waiting: 0,
        active: 0,
        delayed: 0,
      });
      // The run's shared data (program, artifact, metric) is gone with it.
      const redis = new Redis(REDIS);
      try {
        expect(await redis.keys(`dspy-ts:run:${queueName}:*`)).toEqual([]);
      } finally {
        redis.disconnect();
      }
    } finally {
      await runner.close();
      await queue.close();
    }
  });

  it("runs several examples per job within the worker's concurrency, with the local result", async () => {
    let now = 0;
    let most = 0;
    /** Answers `a<i>` after a pause, counting the examples running at once. */
    class SlowQA extends Module {
      answer = new Predict('question -> answer');
      override async forward(inputs: { question?: unknown }): Promise<Prediction> {
        now += 1;
        most = Math.max(most, now);
        await new Promise((r) => setTimeout(r, 20));
        now -= 1;
        const n = Number(String(inputs.question).slice(1));
        return new Prediction({ answer: n % 3 === 0 ? 'wrong' : `a${n}` });
      }
    }
    const devset = devsetOf(23);
    const local = await evaluate(new SlowQA(), devset, exactMatch, { progress: false });
    const queue = `chunks-${randomUUID()}`;
    const worker = await startWorker({
      connection: REDIS,
      programs: { 'src/slow.ts#SlowQA': SlowQA },
      queue,
      concurrency: 3,
    });
    const runner = new QueueRunner({ connection: REDIS, queue, examplesPerJob: 5 });
    try {
      most = 0;
      const remote = await withSettings({ logger: silentLogger }, () =>
        evaluate(new SlowQA(), devset, exactMatch, { runner, progress: false }),
      );
      expect(outcomes(remote)).toEqual(outcomes(local));
      expect(most).toBeLessThanOrEqual(3);
      expect(most).toBeGreaterThan(1);
      expect(worker.processed).toBe(23);
    } finally {
      await runner.close();
      await worker.close();
    }
  });

  it('refuses examplesPerJob, attempts or concurrency that are not positive integers', () => {
    expect(() => new QueueRunner({ connection: REDIS, examplesPerJob: 0 })).toThrow(
      /examplesPerJob must be an integer of at least 1, not 0/,
    );
    expect(() => new QueueRunner({ connection: REDIS, attempts: 1.5 })).toThrow(
      /attempts must be an integer/,
    );
    expect(() => new QueueRunner({ connection: REDIS, concurrency: -2 })).toThrow(
      /concurrency must be an integer/,
    );
  });

  it('connect() reports a Redis that does not answer; workers() counts the workers on its queue', async () => {
    const { createServer } = await import('node:net');
    const probe = createServer();
    const port = await new Promise<number>((done) =>
      probe.listen(0, '127.0.0.1', () => done((probe.address() as { port: number }).port)),
    );
    await new Promise((done) => probe.close(done));
    const dead = new QueueRunner({ connection: `redis://user:hunter2@127.0.0.1:${port}` });
    const refused = await dead.connect().then(
      () => undefined,
      (err: unknown) => err,
    );
    await dead.close();
    expect(refused).toBeInstanceOf(DspyError);
    expect((refused as DspyError).message).toContain(`no Redis answers at redis://127.0.0.1:${port}`);
    expect((refused as DspyError).message).not.toContain('hunter2');
    expect((refused as DspyError).details).toMatchObject({ option: 'connection' });

    const queue = `count-${randomUUID()}`;
    const runner = new QueueRunner({ connection: REDIS, queue });
    const other = await startWorker({
      connection: REDIS,
      programs: { 'src/qa.ts#QA': QA },
      queue: `${queue}-other`,
    });
    try {
      await runner.connect();
      expect(await runner.workers()).toBe(0);
      const worker = await startWorker({ connection: REDIS, programs: { 'src/qa.ts#QA': QA }, queue });
      try {
        expect(await runner.workers()).toBe(1);
      } finally {
        await worker.close();
      }
      expect(await runner.workers()).toBe(0);
    } finally {
      await runner.close();
      await other.close();
    }
  });

  it.each([1, 3])(
    "ends a job that fails on every attempt as that example's error, under maxErrors (%i example(s) per job)",
    async (examplesPerJob) => {
      /** Answers `a<i>`, except on q1, whose prediction cannot be sent back: the job fails each time. */
      class PoisonQA extends Module {
        answer = new Predict('question -> answer');
        override async forward(inputs: { question?: unknown }): Promise<Prediction> {
          const question = String(inputs.question);
          if (question === 'q1') {
            return {
              toJSON: () => {
                throw new Error('this prediction cannot be serialised');
              },
            } as unknown as Prediction;
          }
          return new Prediction({ answer: `a${question.slice(1)}` });
        }
      }
      const queue = `poison-${randomUUID()}`;
      const worker = await startWorker({
        connection: REDIS,
        programs: { 'src/poison.ts#PoisonQA': PoisonQA },
        queue,
      });
      // With several examples per job, the failed job's examples are run again one per job.
      const runner = new QueueRunner({ connection: REDIS, queue, attempts: 2, examplesPerJob });
      try {
        const report = await withSettings({ logger: silentLogger }, () =>
          evaluate(new PoisonQA(), devsetOf(4), exactMatch, { runner, progress: false, maxErrors: 1 }),
        );
        expect(report.results.map((r) => r.score)).toEqual([1, 0, 1, 1]);
        expect(report.errors).toBe(1);
        const error = report.results[1]?.error;
        expect(error).toBeInstanceOf(DspyError);
        expect((error as DspyError).code).toBe('WORKER_JOB_FAILED');
        expect(error?.message).toContain('this prediction cannot be serialised');

        const strict = withSettings({ logger: silentLogger }, () =>
          evaluate(new PoisonQA(), devsetOf(4), exactMatch, { runner, progress: false, maxErrors: 0 }),
        );
        await expect(strict).rejects.toMatchObject({ code: 'EVALUATE_ERROR_BUDGET' });
      } finally {
        await runner.close();
        await worker.close();
      }
    },
  );

  it('sends Image examples to the worker with their bytes: the program gets Image values, checked by hash', async () => {
    /** Answers with the size and hash of the receipt image, which it needs as an Image. */
    class ReadImage extends Module {
      answer = new Predict('receipt: Image -> answer');
      override async forward(inputs: { receipt?: unknown; pages?: unknown }): Promise<Prediction> {
        const { receipt, pages } = inputs;
        if (!(receipt instanceof Image) || !Array.isArray(pages) || !pages.every((p) => p instanceof Image)) {
          throw new Error(`not Image values: ${JSON.stringify(inputs).slice(0, 80)}`);
        }
        return new Prediction({
          answer: `${receipt.width}x${receipt.height} ${receipt.sha256} ${pages.length}`,
        });
      }
    }
    const images = await Promise.all([1, 2, 3].map((n) => Image.fromBytes(png(n, 1))));
    const devset = images.map((receipt, i) =>
      new Example({ receipt, pages: [receipt], answer: `${i + 1}x1 ${receipt.sha256} 1` }).withInputs(
        'receipt',
        'pages',
      ),
    );
    const queue = `media-${randomUUID()}`;
    const worker = await startWorker({
      connection: REDIS,
      programs: { 'src/read.ts#ReadImage': ReadImage },
      queue,
    });
    const runner = new QueueRunner({ connection: REDIS, queue, attempts: 1 });
    try {
      const report = await withSettings({ logger: silentLogger }, () =>
        evaluate(new ReadImage(), devset, exactMatch, { runner, progress: false }),
      );
      expect(report.results.map((r) => r.error?.message)).toEqual([undefined, undefined, undefined]);
      expect(report.results.map((r) => r.score)).toEqual([1, 1, 1]);
    } finally {
      await runner.close();
      await worker.close();
    }
  });
});
