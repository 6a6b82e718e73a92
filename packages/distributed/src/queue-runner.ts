import { createHash, randomUUID } from 'node:crypto';
import {
  DspyError,
  type DspyErrorCode,
  type EvaluationRunner,
  type ExampleLike,
  Prediction,
  type RunnerOutcome,
  type RunnerRun,
  type RunnerSession,
  toArtifact,
} from '@dspy-ts/core';
import { metricName, storeMediaDeep } from '@dspy-ts/core/internal';
import { type ConnectionOptions, Queue, QueueEvents } from 'bullmq';
import {
  assertReachable,
  connectionOptions,
  openClient,
  type PlainClient,
  type RedisConnection,
} from './connection.js';
import {
  DEFAULT_QUEUE,
  type EvaluateJobData,
  type EvaluateJobResult,
  type EvaluateRunData,
  type ExampleResult,
  jobIdOf,
  RUN_TTL_SECONDS,
  type RunBudget,
  runKeyOf,
} from './protocol.js';
import { RedisBudgetLedger } from './redis-ledger.js';

/** Options of {@link QueueRunner}. */
export interface QueueRunnerOptions {
  /** The Redis the workers listen on. */
  readonly connection: RedisConnection;
  /** Examples queued at once per run (default: all of them; the workers' concurrency bounds the work). */
  readonly concurrency?: number;
  /** The queue name (default `dspy-ts-evaluate`); workers must use the same. */
  readonly queue?: string;
  /**
   * The program's reference as workers know it (`src/qa.ts#QA`). Default: the class name, matched
   * against the export names of the worker's programs.
   */
  readonly program?: string;
  /** Tries per example when a worker fails on it (a crash, an exception in the worker), default 3. */
  readonly attempts?: number;
  /**
   * Examples one job carries (default 1). A worker runs a job's examples at once, within its
   * `concurrency`; more per job means fewer Redis round trips and less queue bookkeeping per
   * example, at the price of coarser progress, and of a whole job's examples being run again
   * when a worker dies on it. A job of several examples that fails on every attempt is split:
   * each example is queued again alone, so only the one the workers fail on is an error.
   */
  readonly examplesPerJob?: number;
  /** Prefix of the budget totals' Redis keys (default `dspy-ts:budget:`). */
  readonly budgetPrefix?: string;
}

/** A queued job: the examples it carries, each with the resolver of its `runExample`. */
interface Pending {
  readonly resolve: readonly ((outcome: RunnerOutcome) => void)[];
  /** For a job of several examples: queues each again as a job of its own (after the job failed). */
  readonly split?: () => void;
}

/** Jobs queued in one round trip at most. */
const MAX_BULK = 500;

/**
 * Runs `evaluate`'s examples as BullMQ jobs on the workers started with `startWorker` or
 * `dspy-ts worker`, over Redis. The run's program (artifact and reference) and metric are written
 * to Redis once; each example is in one job (one per job by default, `examplesPerJob` for more; id
 * `<run>-<index of its first example>`, so it is counted once even when a killed worker's job is
 * run again elsewhere); results come back as the jobs finish and `evaluate` keeps them in devset
 * order. A job that fails on every attempt is its example's error (`WORKER_JOB_FAILED`), counted
 * against `maxErrors`. Stopping the run removes its queued jobs and its data.
 *
 * @example
 * ```ts
 * const runner = new QueueRunner({ connection: 'redis://127.0.0.1:6379' });
 * const report = await evaluate(new QA(), devset, exactMatch, { runner });
 * await runner.close();
 * ```
 */
export class QueueRunner implements EvaluationRunner {
  readonly #options: QueueRunnerOptions;
  readonly #connection: ConnectionOptions;
  readonly #queueName: string;
  #queue: Queue<EvaluateJobData, EvaluateJobResult> | undefined;
  #events: QueueEvents | undefined;
  #readying: Promise<Queue<EvaluateJobData, EvaluateJobResult>> | undefined;
  #client: PlainClient | undefined;
  readonly #pending = new Map<string, Pending>();

  constructor(options: QueueRunnerOptions) {
    this.#options = options;
    for (const option of ['examplesPerJob', 'attempts', 'concurrency'] as const) {
      const value = options[option];
      if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
        throw new DspyError(
          'OPTION_INVALID',
          `QueueRunner: ${option} must be an integer of at least 1, not ${value}.`,
          {
            details: {
              where: `QueueRunner.${option}`,
              option,
              fix: `Pass ${option}: 4, for example, or leave it out.`,
            },
          },
        );
      }
    }
    this.#connection = connectionOptions(options.connection, 'QueueRunner');
    this.#queueName = options.queue ?? DEFAULT_QUEUE;
  }

  #ready(): Promise<Queue<EvaluateJobData, EvaluateJobResult>> {
    this.#readying ??= this.#connect();
    this.#readying.catch(() => {
      this.#readying = undefined;
    });
    return this.#readying;
  }

  async #connect(): Promise<Queue<EvaluateJobData, EvaluateJobResult>> {
    await assertReachable(this.#connection, 'QueueRunner');
    const queue = new Queue<EvaluateJobData, EvaluateJobResult>(this.#queueName, {
      connection: this.#connection,
    });
    const events = new QueueEvents(this.#queueName, { connection: this.#connection });
    events.on('completed', ({ jobId, returnvalue }) => this.#settle(jobId, parseResult(returnvalue)));
    events.on('failed', ({ jobId, failedReason }) => this.#settle(jobId, undefined, failedReason));
    this.#queue = queue;
    this.#events = events;
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return queue;
  }

  #settle(jobId: string, result: EvaluateJobResult | undefined, failedReason?: string): void {
    const pending = this.#pending.get(jobId);
    if (!pending) return;
    this.#pending.delete(jobId);
    if (failedReason !== undefined && pending.split) {
      // A job of several examples failed on every attempt: each example gets a job (and its
      // attempts) of its own, so that only the example the workers fail on ends as an error.
      pending.split();
      return;
    }
    pending.resolve.forEach((resolve, i) => {
      const one = result?.results[i];
      resolve(failedReason === undefined && one ? toOutcome(one) : { error: jobFailed(jobId, failedReason) });
    });
  }

  /**
   * A new budget total in this runner's Redis, for one run: `evaluate` and the optimizers keep
   * their `maxCost` / `maxTokens` / `maxLMCalls` total there when given this runner, and the
   * workers draw on the same total, so the cap holds for the whole distributed run. It uses the
   * runner's connection, so it works until the runner is closed.
   */
  budgetLedger(): RedisBudgetLedger {
    this.#client ??= openClient(this.#connection);
    return new RedisBudgetLedger({
      connection: this.#client.redis,
      ...(this.#options.budgetPrefix ? { prefix: this.#options.budgetPrefix } : {}),
    });
  }

  #settleWith(jobId: string, outcome: (jobId: string) => RunnerOutcome): void {
    const pending = this.#pending.get(jobId);
    if (!pending) return;
    this.#pending.delete(jobId);
    for (const resolve of pending.resolve) resolve(outcome(jobId));
  }

  /**
   * Opens one evaluation: called by `evaluate`. The run's program, artifact and metric are stored
   * once in Redis; the examples asked for in the same tick are queued in one round trip
   * (`addBulk`), `examplesPerJob` to a job. A budgeted run's caps and the key of its total in
   * Redis go with the run's data, and the workers check each LM call against that total.
   */
  async open(run: RunnerRun): Promise<RunnerSession> {
    const budget = runBudget(run);
    const queue = await this.#ready();
    const id = randomUUID();
    const runKey = runKeyOf(this.#queueName, id);
    this.#client ??= openClient(this.#connection);
    const client = this.#client.redis;
    await client.set(
      runKey,
      JSON.stringify(runData(run, this.#options.program, budget)),
      'EX',
      RUN_TTL_SECONDS,
    );
    const perJob = this.#options.examplesPerJob ?? 1;
    const jobOptions = {
      attempts: this.#options.attempts ?? 3,
      backoff: { type: 'fixed', delay: 100 },
      // The results travel in the completion event: the job itself is not needed after it.
      removeOnComplete: true,
      removeOnFail: { age: 3600 },
    } as const;
    const mine = new Set<string>();
    let closed = false;
    type Asked = { index: number; resolve: (outcome: RunnerOutcome) => void };
    let batch: Asked[] = [];
    const queueJobs = async (chunks: readonly (readonly Asked[])[], alone: boolean): Promise<void> => {
      const jobs: { name: string; data: EvaluateJobData; opts: typeof jobOptions & { jobId: string } }[] = [];
      for (const chunk of chunks) {
        const first = jobIdOf(id, (chunk[0] as Asked).index);
        // A job of one example split from a failed job of several gets an id of its own.
        const jobId = alone ? `${first}-alone` : first;
        const split =
          chunk.length > 1
            ? () =>
                void queueJobs(
                  chunk.map((c) => [c]),
                  true,
                )
            : undefined;
        this.#pending.set(jobId, { resolve: chunk.map((c) => c.resolve), ...(split ? { split } : {}) });
        mine.add(jobId);
        const examples = chunk.map(({ index }) => exampleData(index, run.devset[index] as ExampleLike));
        jobs.push({ name: 'evaluate', data: { run: id, examples }, opts: { ...jobOptions, jobId } });
      }
      for (let start = 0; start < jobs.length; start += MAX_BULK) {
        const slice = jobs.slice(start, start + MAX_BULK);
        try {
          await queue.addBulk(slice);
        } catch (err) {
          for (const { opts } of slice)
            this.#settleWith(opts.jobId, (jobId) => ({ error: queueError(jobId, err) }));
        }
      }
    };
    const flush = async (): Promise<void> => {
      const asked = batch;
      batch = [];
      if (closed) return;
      const chunks: Asked[][] = [];
      for (let start = 0; start < asked.length; start += perJob)
        chunks.push(asked.slice(start, start + perJob));
      await queueJobs(chunks, false);
    };
    const session: RunnerSession = {
      concurrency: this.#options.concurrency ?? run.devset.length,
      runExample: (index) =>
        new Promise<RunnerOutcome>((resolve) => {
          if (batch.length === 0) setImmediate(() => void flush());
          batch.push({ index, resolve });
        }),
      close: async () => {
        closed = true;
        for (const { index, resolve } of batch) resolve({ error: cancelled(jobIdOf(id, index)) });
        batch = [];
        const open = [...mine].filter((jobId) => this.#pending.has(jobId));
        for (const jobId of open) this.#settleWith(jobId, (j) => ({ error: cancelled(j) }));
        // Jobs a worker holds finish there; their results are ignored.
        await Promise.all(open.map((jobId) => queue.remove(jobId).catch(() => 0)));
        await client.del(runKey).catch(() => 0);
      },
    };
    return session;
  }

  /**
   * Connects to Redis now rather than on the first run, so that a wrong URL or a stopped server
   * is reported before any other work: rejects with `OPTION_INVALID` (the URL without its
   * password, and the reason) when no Redis answers.
   */
  async connect(): Promise<void> {
    await this.#ready();
  }

  /**
   * The workers listening on this runner's queue now (BullMQ's count of the connections of
   * its workers). A run queued with none waits until one starts. `undefined` when Redis does
   * not allow listing its clients (`CLIENT LIST` disabled on some managed servers).
   */
  async workers(): Promise<number | undefined> {
    const queue = await this.#ready();
    try {
      return await queue.getWorkersCount();
    } catch {
      return undefined;
    }
  }

  /** Closes the connections to Redis. */
  async close(): Promise<void> {
    await this.#events?.close();
    await this.#queue?.close();
    this.#events = undefined;
    this.#queue = undefined;
    this.#readying = undefined;
    await this.#client?.close();
    this.#client = undefined;
  }
}

/** The budget the run's workers draw on: the caps and the Redis key of its shared total. */
function runBudget(run: RunnerRun): RunBudget | undefined {
  const budget = run.budget;
  if (!budget) return undefined;
  const { ledger, caps } = budget;
  if (!(ledger instanceof RedisBudgetLedger)) {
    throw new DspyError(
      'OPTION_INVALID',
      'QueueRunner: the budget in force keeps its total in this process, where the workers cannot reach it.',
      {
        details: {
          where: 'QueueRunner.open (budget of the run)',
          fix: "Set maxCost / maxTokens on evaluate or the optimizer together with { runner } (they keep the total in the runner's Redis), or pass budgetLedger: runner.budgetLedger().",
        },
      },
    );
  }
  return { caps: { ...caps }, key: ledger.key, prefix: ledger.prefix };
}

function runData(run: RunnerRun, ref: string | undefined, budget: RunBudget | undefined): EvaluateRunData {
  const name = run.program.constructor?.name ?? 'program';
  const timeout = run.rules.timeoutMs;
  const artifact = toArtifact(run.program);
  return {
    program: { ...(ref ? { ref } : {}), name },
    artifact,
    artifactHash: createHash('sha256').update(JSON.stringify(artifact)).digest('hex'),
    metric: metricName(run.metric),
    range: [run.rules.range[0], run.rules.range[1]],
    metricTimeoutMs: Number.isFinite(timeout) ? timeout : null,
    ...(budget ? { budget } : {}),
  };
}

function exampleData(index: number, example: ExampleLike): EvaluateJobData['examples'][number] {
  // Media values travel in their stored form (inline bytes), not as the reference their JSON is.
  const data = storeMediaDeep(example.toJSON()) as Record<string, unknown>;
  return { index, data, inputKeys: [...(example.inputKeys ?? [])] };
}

function parseResult(value: unknown): EvaluateJobResult | undefined {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as EvaluateJobResult;
    } catch {
      return undefined;
    }
  }
  return value && typeof value === 'object' ? (value as EvaluateJobResult) : undefined;
}

function toOutcome(result: ExampleResult): RunnerOutcome {
  const prediction = result.prediction ? new Prediction(result.prediction) : undefined;
  if (result.error) {
    const { message, code } = result.error;
    const error = code ? new DspyError(code as DspyErrorCode, message) : new Error(message);
    return prediction ? { prediction, error } : { error };
  }
  if (!prediction || typeof result.score !== 'number') return { error: jobFailed('?', 'no result') };
  return {
    prediction,
    score: result.score,
    ...(result.feedback !== undefined ? { feedback: result.feedback } : {}),
  };
}

function jobFailed(jobId: string, reason: string | undefined): DspyError {
  return new DspyError(
    'WORKER_JOB_FAILED',
    `the worker job ${jobId} failed on every attempt: ${reason ?? 'no reason given'}`,
    {
      details: {
        where: `job ${jobId}`,
        fix: "See the worker's log for this example; a worker that crashes or throws on it fails it each time.",
      },
    },
  );
}

function cancelled(jobId: string): DspyError {
  return new DspyError(
    'ABORTED',
    `the run stopped before job ${jobId} finished; it was removed from the queue.`,
    {
      details: {
        where: `job ${jobId}`,
        fix: 'Nothing to fix: the run was interrupted or hit its error budget.',
      },
    },
  );
}

function queueError(jobId: string, err: unknown): DspyError {
  const message = err instanceof Error ? err.message : String(err);
  return new DspyError('WORKER_JOB_FAILED', `the job ${jobId} could not be queued: ${message}`, {
    cause: err,
    details: {
      where: `job ${jobId}`,
      fix: 'Check that Redis is reachable at the connection given to QueueRunner.',
    },
  });
}
