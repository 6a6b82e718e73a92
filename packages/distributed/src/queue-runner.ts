import { randomUUID } from 'node:crypto';
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
import { metricName } from '@dspy-ts/core/internal';
import { type ConnectionOptions, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { connectionOptions, type RedisConnection } from './connection.js';
import {
  DEFAULT_QUEUE,
  type EvaluateJobData,
  type EvaluateJobResult,
  type JobBudget,
  jobIdOf,
} from './protocol.js';
import { budgetClient, RedisBudgetLedger } from './redis-ledger.js';

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
  /** Prefix of the budget totals' Redis keys (default `dspy-ts:budget:`). */
  readonly budgetPrefix?: string;
}

interface Pending {
  readonly resolve: (outcome: RunnerOutcome) => void;
}

/**
 * Runs `evaluate`'s examples as BullMQ jobs on the workers started with `startWorker` or
 * `dspy-ts worker`, over Redis. Each example is one job (id `run-index`, so it is counted once even
 * when a killed worker's job is run again elsewhere); results come back as the jobs finish and
 * `evaluate` keeps them in devset order. A job that fails on every attempt is that example's error
 * (`WORKER_JOB_FAILED`), counted against `maxErrors`. Stopping the run removes its queued jobs.
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
  readonly #pending = new Map<string, Pending>();
  #ledgerClient: Redis | undefined;

  constructor(options: QueueRunnerOptions) {
    this.#options = options;
    this.#connection = connectionOptions(options.connection, 'QueueRunner');
    this.#queueName = options.queue ?? DEFAULT_QUEUE;
  }

  async #ready(): Promise<Queue<EvaluateJobData, EvaluateJobResult>> {
    if (!this.#queue) {
      this.#queue = new Queue<EvaluateJobData, EvaluateJobResult>(this.#queueName, {
        connection: this.#connection,
      });
      this.#events = new QueueEvents(this.#queueName, { connection: this.#connection });
      this.#events.on('completed', ({ jobId, returnvalue }) => this.#settle(jobId, parseResult(returnvalue)));
      this.#events.on('failed', ({ jobId, failedReason }) => this.#settle(jobId, undefined, failedReason));
      await Promise.all([this.#queue.waitUntilReady(), this.#events.waitUntilReady()]);
    }
    return this.#queue;
  }

  #settle(jobId: string, result: EvaluateJobResult | undefined, failedReason?: string): void {
    const pending = this.#pending.get(jobId);
    if (!pending) return;
    this.#pending.delete(jobId);
    pending.resolve(
      failedReason === undefined && result ? toOutcome(result) : { error: jobFailed(jobId, failedReason) },
    );
  }

  /**
   * A new budget total in this runner's Redis, for one run: `evaluate` and the optimizers keep
   * their `maxCost` / `maxTokens` / `maxLMCalls` total there when given this runner, and the
   * workers draw on the same total, so the cap holds for the whole distributed run.
   */
  budgetLedger(): RedisBudgetLedger {
    this.#ledgerClient ??= budgetClient(this.#connection);
    return new RedisBudgetLedger({
      connection: this.#ledgerClient,
      ...(this.#options.budgetPrefix ? { prefix: this.#options.budgetPrefix } : {}),
    });
  }

  /** Opens one evaluation: called by `evaluate`. */
  async open(run: RunnerRun): Promise<RunnerSession> {
    const budget = jobBudget(run);
    const queue = await this.#ready();
    const id = randomUUID();
    const base = { ...baseJob(run, id, this.#options.program), ...(budget ? { budget } : {}) };
    const attempts = this.#options.attempts ?? 3;
    const mine = new Set<string>();
    const session: RunnerSession = {
      concurrency: this.#options.concurrency ?? run.devset.length,
      runExample: async (index) => {
        const jobId = jobIdOf(id, index);
        const outcome = new Promise<RunnerOutcome>((resolve) => this.#pending.set(jobId, { resolve }));
        mine.add(jobId);
        try {
          await queue.add(
            'evaluate',
            { ...base, index, example: exampleData(run.devset[index] as ExampleLike) },
            {
              jobId,
              attempts,
              backoff: { type: 'fixed', delay: 100 },
              removeOnComplete: { age: 3600 },
              removeOnFail: { age: 3600 },
            },
          );
        } catch (err) {
          this.#pending.delete(jobId);
          return { error: queueError(jobId, err) };
        }
        return outcome;
      },
      close: async () => {
        const open = [...mine].filter((jobId) => this.#pending.has(jobId));
        for (const jobId of open) this.#pending.get(jobId)?.resolve({ error: cancelled(jobId) });
        for (const jobId of open) this.#pending.delete(jobId);
        // Jobs a worker holds finish there; their results are ignored.
        await Promise.all(open.map((jobId) => queue.remove(jobId).catch(() => 0)));
      },
    };
    return session;
  }

  /** Closes the connections to Redis. */
  async close(): Promise<void> {
    const ledger = this.#ledgerClient;
    this.#ledgerClient = undefined;
    if (ledger) await ledger.quit().catch(() => ledger.disconnect());
    await this.#events?.close();
    await this.#queue?.close();
    this.#events = undefined;
    this.#queue = undefined;
  }
}

/** The budget the run's jobs carry: the caps and the Redis key of its shared total. */
function jobBudget(run: RunnerRun): JobBudget | undefined {
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

function baseJob(
  run: RunnerRun,
  id: string,
  ref: string | undefined,
): Omit<EvaluateJobData, 'index' | 'example'> {
  const name = run.program.constructor?.name ?? 'program';
  const timeout = run.rules.timeoutMs;
  return {
    run: id,
    program: { ...(ref ? { ref } : {}), name },
    artifact: toArtifact(run.program),
    metric: metricName(run.metric),
    range: [run.rules.range[0], run.rules.range[1]],
    metricTimeoutMs: Number.isFinite(timeout) ? timeout : null,
  };
}

function exampleData(example: ExampleLike): EvaluateJobData['example'] {
  return { data: example.toJSON() as Record<string, unknown>, inputKeys: [...(example.inputKeys ?? [])] };
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

function toOutcome(result: EvaluateJobResult): RunnerOutcome {
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
