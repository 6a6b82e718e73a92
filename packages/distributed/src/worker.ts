import {
  applyArtifact,
  DspyError,
  Example,
  type ExampleLike,
  exactMatch,
  exactMatchOn,
  f1,
  f1On,
  isDspyError,
  localRunner,
  type Metric,
  type PredictionLike,
  type ProgramLike,
  type RunnerOutcome,
  trackUsage,
} from '@dspy-ts/core';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { connectionOptions, type RedisConnection } from './connection.js';
import { DEFAULT_QUEUE, type EvaluateJobData, type EvaluateJobResult } from './protocol.js';
import { budgetClient, RedisBudgetLedger } from './redis-ledger.js';

/** A program class a worker can build: `new X()` with no arguments. */
export type ProgramConstructor = new () => ProgramLike<PredictionLike>;

/**
 * The programs a worker runs: a map from program reference (`src/qa.ts#QA`) to its class, or a
 * function returning a fresh program for a job's reference and class name.
 */
export type ProgramSource =
  | Readonly<Record<string, ProgramConstructor>>
  | ((
      ref: string | undefined,
      name: string,
    ) => ProgramLike<PredictionLike> | Promise<ProgramLike<PredictionLike>>);

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  /** The Redis the runners queue on. */
  readonly connection: RedisConnection;
  readonly programs: ProgramSource;
  /** Metrics by name, beyond the built-in `exactMatch`, `f1`, `exactMatch(field)` and `f1(field)`. */
  readonly metrics?: Readonly<Record<string, Metric<never, never>>>;
  /** Jobs run at once (default 16): LM calls wait on the network, so this can be well above the cores. */
  readonly concurrency?: number;
  /** The queue name (default `dspy-ts-evaluate`). */
  readonly queue?: string;
  /**
   * Milliseconds after which a job whose worker stopped answering (killed, hung) is run again by
   * another worker (default 30,000).
   */
  readonly stalledAfterMs?: number;
}

/** A running worker. */
export interface DistributedWorker {
  /** Jobs finished by this worker (examples run, whatever their score). */
  readonly processed: number;
  /** Stops taking jobs, lets the running ones finish and disconnects. */
  close(): Promise<void>;
}

const BUILTIN = /^(exactMatch|f1)(?:\(([A-Za-z_$][\w$]*)\))?$/;

function resolveMetric(name: string, metrics: WorkerOptions['metrics']): Metric<never, never> {
  const own = metrics?.[name];
  if (own) return own;
  const builtin = BUILTIN.exec(name);
  if (builtin) {
    const field = builtin[2];
    if (builtin[1] === 'f1') return (field ? f1On(field) : f1) as Metric<never, never>;
    return (field ? exactMatchOn(field) : exactMatch) as Metric<never, never>;
  }
  throw new UnrecoverableError(
    new DspyError('OPTION_INVALID', `this worker has no metric named '${name}'.`, {
      details: {
        where: 'startWorker.metrics',
        fix: `Register it on the worker: startWorker({ metrics: { '${name}': fn } }), or evaluate with a built-in metric.`,
      },
    }).message,
  );
}

function findConstructor(
  programs: Readonly<Record<string, ProgramConstructor>>,
  ref: string | undefined,
  name: string,
): ProgramConstructor {
  const exact = ref ? programs[ref] : undefined;
  if (exact) return exact;
  const byName = Object.entries(programs).filter(([key]) => key === name || key.endsWith(`#${name}`));
  if (byName.length === 1) return (byName[0] as [string, ProgramConstructor])[1];
  const known = Object.keys(programs).join(', ') || 'none';
  throw new UnrecoverableError(
    new DspyError('OPTION_INVALID', `this worker has no program ${ref ?? name} (it has ${known}).`, {
      details: {
        where: 'startWorker.programs',
        fix: 'Start the worker with this program (--program src/x.ts#X), or give QueueRunner the reference the worker knows.',
      },
    }).message,
  );
}

async function buildProgram(
  programs: ProgramSource,
  data: EvaluateJobData,
): Promise<ProgramLike<PredictionLike>> {
  const { ref, name } = data.program;
  const program =
    typeof programs === 'function' ? await programs(ref, name) : new (findConstructor(programs, ref, name))();
  try {
    // Checks every predictor path and signature hash, as `load` does.
    applyArtifact(program, data.artifact);
  } catch (err) {
    throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
  }
  return program;
}

function errorOf(err: Error): NonNullable<EvaluateJobResult['error']> {
  // A budget refusal wrapped by the program still stops the run: its code travels back.
  for (let e: unknown = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if (isDspyError(e, 'BUDGET_EXHAUSTED')) return { message: e.message, code: e.code };
  }
  return isDspyError(err) ? { message: err.message, code: err.code } : { message: err.message };
}

/**
 * Starts a BullMQ worker that runs evaluation jobs queued by `QueueRunner`: it builds the job's
 * program from its reference and loads the job's artifact into it (checking signature hashes),
 * runs it on the example and scores it with the named metric. Configure the LM of this process
 * (`configure({ lm })`) before starting it.
 *
 * @example
 * ```ts
 * const worker = await startWorker({ connection: 'redis://127.0.0.1:6379', programs: { 'src/qa.ts#QA': QA } });
 * ```
 */
export async function startWorker(options: WorkerOptions): Promise<DistributedWorker> {
  // A few runs' programs at once: one program per run, built on its first job.
  const built = new Map<string, Promise<ProgramLike<PredictionLike>>>();
  const programFor = (data: EvaluateJobData): Promise<ProgramLike<PredictionLike>> => {
    let program = built.get(data.run);
    if (!program) {
      program = buildProgram(options.programs, data);
      program.catch(() => built.delete(data.run));
      built.set(data.run, program);
      if (built.size > 8) built.delete(built.keys().next().value as string);
    }
    return program;
  };
  // One client for the budget totals of every run this worker serves.
  let ledgerClient: Redis | undefined;
  const ledgers = new Map<string, RedisBudgetLedger>();
  const ledgerFor = (key: string, prefix: string): RedisBudgetLedger => {
    const id = `${prefix}${key}`;
    let ledger = ledgers.get(id);
    if (!ledger) {
      ledgerClient ??= budgetClient(connectionOptions(options.connection, 'startWorker'));
      ledger = new RedisBudgetLedger({ connection: ledgerClient, key, prefix });
      ledgers.set(id, ledger);
      if (ledgers.size > 64) ledgers.delete(ledgers.keys().next().value as string);
    }
    return ledger;
  };
  let processed = 0;
  const process = async (job: Job<EvaluateJobData, EvaluateJobResult>): Promise<EvaluateJobResult> => {
    const data = job.data;
    const program = await programFor(data);
    const metric = resolveMetric(data.metric, options.metrics);
    const example = new Example(data.example.data).withInputs(...data.example.inputKeys);
    const devset: ExampleLike[] = [];
    devset[data.index] = example;
    const session = await localRunner.open({
      program,
      devset,
      metric,
      rules: { range: data.range, timeoutMs: data.metricTimeoutMs ?? Number.POSITIVE_INFINITY },
      signal: new AbortController().signal,
      trace: false,
      name: data.program.name,
    });
    const budget = data.budget;
    // With a budget, every LM call of the job is checked against the run's total in Redis.
    const outcome: RunnerOutcome = budget
      ? (
          await trackUsage(() => session.runExample(data.index), {
            ...budget.caps,
            ledger: ledgerFor(budget.key, budget.prefix),
          })
        ).result
      : await session.runExample(data.index);
    processed += 1;
    const prediction = outcome.prediction?.toJSON() as Record<string, unknown> | undefined;
    if ('error' in outcome) return { ...(prediction ? { prediction } : {}), error: errorOf(outcome.error) };
    return {
      ...(prediction ? { prediction } : {}),
      score: outcome.score,
      ...(outcome.feedback !== undefined ? { feedback: outcome.feedback } : {}),
    };
  };
  const stalledAfterMs = options.stalledAfterMs ?? 30_000;
  const worker = new Worker<EvaluateJobData, EvaluateJobResult>(options.queue ?? DEFAULT_QUEUE, process, {
    connection: connectionOptions(options.connection, 'startWorker'),
    concurrency: options.concurrency ?? 16,
    lockDuration: stalledAfterMs,
    stalledInterval: Math.max(500, Math.floor(stalledAfterMs / 2)),
    // A killed worker's job goes back to the queue; only a job that keeps killing workers fails.
    maxStalledCount: 3,
  });
  worker.on('error', () => undefined);
  await worker.waitUntilReady();
  return {
    get processed() {
      return processed;
    },
    close: async () => {
      await worker.close();
      const client = ledgerClient;
      ledgerClient = undefined;
      if (client) await client.quit().catch(() => client.disconnect());
    },
  };
}
