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
  type RunnerSession,
  trackUsage,
  type UsageLimits,
} from '@dspy-ts/core';
import { reviveMediaDeep } from '@dspy-ts/core/internal';
import { type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import { assertReachable, connectionOptions, openClient, type RedisConnection } from './connection.js';
import {
  DEFAULT_QUEUE,
  type EvaluateJobData,
  type EvaluateJobResult,
  type EvaluateRunData,
  type ExampleResult,
  runKeyOf,
} from './protocol.js';
import { RedisBudgetLedger } from './redis-ledger.js';

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
  /**
   * Examples run at once (default 16), whether jobs carry one or several: LM calls wait on the
   * network, so this can be well above the cores.
   */
  readonly concurrency?: number;
  /** The queue name (default `dspy-ts-evaluate`). */
  readonly queue?: string;
  /**
   * Milliseconds after which a job whose worker stopped answering (killed, hung) is run again by
   * another worker (default 30,000).
   */
  readonly stalledAfterMs?: number;
  /** Called as the worker works: for logs and progress lines. */
  readonly onEvent?: (event: WorkerEvent) => void;
}

/** What a worker reports through `onEvent`. */
export type WorkerEvent =
  /** The first job of a run reached this worker: its program was built and the artifact loaded. */
  | { readonly type: 'run'; readonly run: string; readonly program: string }
  /**
   * An attempt at a job failed (`index`: its first example); `final` when no attempt is left (the
   * error of the job's examples).
   */
  | {
      readonly type: 'failed';
      readonly run: string;
      readonly index: number;
      readonly attempt: number;
      readonly final: boolean;
      readonly message: string;
    };

/** Options of {@link DistributedWorker.close}. */
export interface WorkerCloseOptions {
  /**
   * Give the running jobs back to the queue at once (another worker runs them from the start)
   * instead of waiting for them to finish.
   */
  readonly release?: boolean;
}

/** A running worker. */
export interface DistributedWorker {
  /** Examples finished by this worker (whatever their score). */
  readonly processed: number;
  /** Examples running now. */
  readonly running: number;
  /**
   * Stops taking jobs and disconnects: the running jobs finish first, or, with `release`, go back
   * to the queue. Calling it again with `release` releases the jobs a first call is waiting for.
   */
  close(options?: WorkerCloseOptions): Promise<void>;
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
  data: EvaluateRunData,
): Promise<ProgramLike<PredictionLike>> {
  const { ref, name } = data.program;
  let program: ProgramLike<PredictionLike>;
  try {
    program =
      typeof programs === 'function'
        ? await programs(ref, name)
        : new (findConstructor(programs, ref, name))();
  } catch (err) {
    // A program this worker cannot build fails the same way on every attempt.
    if (err instanceof UnrecoverableError) throw err;
    throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
  }
  try {
    // Checks every predictor path and signature hash, as `load` does.
    applyArtifact(program, data.artifact);
  } catch (err) {
    throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
  }
  return program;
}

/** A run as a worker holds it: its local session, the examples running now and its budget. */
interface RunSession {
  readonly devset: ExampleLike[];
  readonly session: RunnerSession;
  /** The run's caps and its total in Redis: each LM call of its examples is checked against them. */
  readonly budget?: UsageLimits;
}

/** A counting semaphore: `take` waits while all `size` slots are taken. */
class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  constructor(size: number) {
    this.#free = size;
  }
  take(): Promise<void> | void {
    if (this.#free > 0) {
      this.#free -= 1;
      return;
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
  give(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free += 1;
  }
}

/** Sets `key` in `map`, dropping the oldest entries past `limit`. */
function remember<V>(map: Map<string, V>, key: string, value: V, limit: number): void {
  map.set(key, value);
  while (map.size > limit) map.delete(map.keys().next().value as string);
}

function errorOf(err: Error): NonNullable<ExampleResult['error']> {
  // A budget refusal wrapped by the program still stops the run: its code travels back.
  for (let e: unknown = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if (isDspyError(e, 'BUDGET_EXHAUSTED')) return { message: e.message, code: e.code };
  }
  return isDspyError(err) ? { message: err.message, code: err.code } : { message: err.message };
}

/**
 * Starts a BullMQ worker that runs evaluation jobs queued by `QueueRunner`: on a run's first job
 * it reads the run's program reference, artifact and metric from Redis, builds the program and
 * loads the artifact into it (checking signature hashes, as `load` does), then runs it on each
 * job's examples and scores them with the named metric, at most `concurrency` examples at once.
 * When the run has a budget (`maxCost` / `maxTokens` / `maxLMCalls`), each LM call is checked
 * against the run's total in Redis (`RedisBudgetLedger`) and a refused call is `BUDGET_EXHAUSTED`.
 * Configure the LM of this process (`configure({ lm })`) before starting it. It fails at once,
 * with `OPTION_INVALID` and the reason, when no Redis answers at `connection`.
 *
 * @example
 * ```ts
 * const worker = await startWorker({ connection: 'redis://127.0.0.1:6379', programs: { 'src/qa.ts#QA': QA } });
 * ```
 */
export async function startWorker(options: WorkerOptions): Promise<DistributedWorker> {
  const connection = connectionOptions(options.connection, 'startWorker');
  await assertReachable(connection, 'startWorker');
  const queueName = options.queue ?? DEFAULT_QUEUE;
  const onEvent = options.onEvent;
  const client = openClient(connection);
  // Loaded programs by program and artifact: the runs of one compile that evaluate the same
  // candidate share it (a program's forward keeps no state between calls).
  const programs = new Map<string, Promise<ProgramLike<PredictionLike>>>();
  const programOf = (data: EvaluateRunData): Promise<ProgramLike<PredictionLike>> => {
    const key = `${data.program.ref ?? ''}\n${data.program.name}\n${data.artifactHash}`;
    let program = programs.get(key);
    if (!program) {
      program = buildProgram(options.programs, data);
      program.catch(() => programs.delete(key));
      remember(programs, key, program, 16);
    }
    return program;
  };
  // What each run shares with its jobs, read from Redis once per run.
  const runs = new Map<string, Promise<RunSession>>();
  const runOf = (run: string): Promise<RunSession> => {
    let session = runs.get(run);
    if (!session) {
      session = openRun(run);
      session.catch(() => runs.delete(run));
      remember(runs, run, session, 64);
    }
    return session;
  };
  const openRun = async (run: string): Promise<RunSession> => {
    const text = await client.redis.get(runKeyOf(queueName, run));
    if (text === null) {
      throw new UnrecoverableError(
        `the run ${run} is over: its data is no longer in Redis (the evaluating process stopped it or went away).`,
      );
    }
    const data = JSON.parse(text) as EvaluateRunData;
    const program = await programOf(data);
    const metric = resolveMetric(data.metric, options.metrics);
    const devset: ExampleLike[] = [];
    const session = await localRunner.open({
      program,
      devset,
      metric,
      rules: { range: data.range, timeoutMs: data.metricTimeoutMs ?? Number.POSITIVE_INFINITY },
      signal: new AbortController().signal,
      trace: false,
      name: data.program.name,
    });
    onEvent?.({ type: 'run', run, program: data.program.ref ?? data.program.name });
    // A budgeted run: its total is in Redis under the key its evaluating process chose, and this
    // worker's client reads and writes it (one ledger per run, kept with the run).
    const budget = data.budget
      ? {
          ...data.budget.caps,
          ledger: new RedisBudgetLedger({
            connection: client.redis,
            key: data.budget.key,
            prefix: data.budget.prefix,
          }),
        }
      : undefined;
    return { devset, session, ...(budget ? { budget } : {}) };
  };
  const concurrency = options.concurrency ?? 16;
  // Examples running at once stay within `concurrency`, however many a job carries.
  const slots = new Slots(concurrency);
  let processed = 0;
  let running = 0;
  const runOne = async (
    { devset, session, budget }: RunSession,
    one: EvaluateJobData['examples'][number],
  ): Promise<ExampleResult> => {
    // Media values arrive in their stored form: rebuilt and checked by SHA-256 before the run.
    const fields = (await reviveMediaDeep(one.data, `example ${one.index}`)) as Record<string, unknown>;
    await slots.take();
    running += 1;
    // The run's devset holds the examples its jobs on this worker are running now.
    devset[one.index] = new Example(fields).withInputs(...one.inputKeys);
    let outcome: Awaited<ReturnType<RunnerSession['runExample']>>;
    try {
      // With a budget, every LM call of the example is checked against the run's total in Redis.
      outcome = budget
        ? (await trackUsage(() => session.runExample(one.index), budget)).result
        : await session.runExample(one.index);
    } finally {
      delete devset[one.index];
      running -= 1;
      slots.give();
    }
    const prediction = outcome.prediction?.toJSON() as Record<string, unknown> | undefined;
    if ('error' in outcome) return { ...(prediction ? { prediction } : {}), error: errorOf(outcome.error) };
    return {
      ...(prediction ? { prediction } : {}),
      score: outcome.score,
      ...(outcome.feedback !== undefined ? { feedback: outcome.feedback } : {}),
    };
  };
  const run = async (data: EvaluateJobData): Promise<EvaluateJobResult> => {
    const session = await runOf(data.run);
    return { results: await Promise.all(data.examples.map((one) => runOne(session, one))) };
  };
  // Resolved by close({ release: true }): the running jobs go back to the queue.
  let release: () => void = () => undefined;
  const released = new Promise<'released'>((resolve) => {
    release = () => resolve('released');
  });
  const process = async (
    job: Job<EvaluateJobData, EvaluateJobResult>,
    token?: string,
  ): Promise<EvaluateJobResult> => {
    // Jobs of several examples: as many jobs at once as fill `concurrency` examples, so that a
    // worker does not hold examples other workers could run.
    const wanted = Math.max(1, Math.ceil(concurrency / Math.max(1, job.data.examples.length)));
    if (worker.concurrency !== wanted) worker.concurrency = wanted;
    const work = run(job.data);
    work.catch(() => undefined);
    const result = await Promise.race([work, released]);
    if (result === 'released') {
      // Back to the waiting list, not counted as an attempt; BullMQ leaves a job thrown with
      // WaitingError where it is.
      await job.moveToWait(token);
      throw new WaitingError();
    }
    processed += result.results.length;
    return result;
  };
  const stalledAfterMs = options.stalledAfterMs ?? 30_000;
  const worker = new Worker<EvaluateJobData, EvaluateJobResult>(queueName, process, {
    connection,
    concurrency,
    lockDuration: stalledAfterMs,
    stalledInterval: Math.max(500, Math.floor(stalledAfterMs / 2)),
    // A killed worker's job goes back to the queue; only a job that keeps killing workers fails.
    maxStalledCount: 3,
  });
  worker.on('error', () => undefined);
  if (onEvent) {
    worker.on('failed', (job, err) => {
      if (!job) return;
      const attempts = job.opts.attempts ?? 1;
      onEvent({
        type: 'failed',
        run: job.data.run,
        index: job.data.examples[0]?.index ?? -1,
        attempt: job.attemptsMade,
        final: job.attemptsMade >= attempts || err instanceof UnrecoverableError,
        message: err.message,
      });
    });
  }
  await worker.waitUntilReady();
  let closing: Promise<void> | undefined;
  return {
    get processed() {
      return processed;
    },
    get running() {
      return running;
    },
    close: (closeOptions = {}) => {
      if (closeOptions.release) release();
      closing ??= worker.close().finally(() => client.close());
      return closing;
    },
  };
}
