import { relative, resolve } from 'node:path';
import type { QueueRunner } from '@dspy-ts/distributed';
import { type Io, intFlag } from './context.js';
import { usageError } from './errors.js';
import type { ProgramRef } from './program.js';
import {
  checkRedisUrl,
  type DistributedModule,
  inRedisTerms,
  loadDistributed,
  type RedisTarget,
  redactUrl,
  redisUrlFromEnv,
} from './redis.js';

/** The queue `dspy-ts worker` listens on unless `--queue` names another. */
const DEFAULT_QUEUE = 'dspy-ts-evaluate';

/** Flags of `eval` and `compile` that hand their evaluations to `dspy-ts worker` processes. */
export interface QueueFlags {
  /** `--redis <url>`; `false` for `--no-redis` (evaluate here even when `DSPY_TS_REDIS_URL` is set). */
  readonly redis?: string | false;
  readonly queue?: string;
  readonly examplesPerJob?: string;
}

/**
 * Where the evaluations of `eval` / `compile` go: `--redis`, else `DSPY_TS_REDIS_URL`, else
 * nowhere (they run in this process). `--queue` or `--examples-per-job` without a Redis is bad
 * usage: they would be silently ignored.
 */
export function queueTarget(flags: QueueFlags, command: 'eval' | 'compile'): RedisTarget | undefined {
  const fromEnv = flags.redis === false ? undefined : redisUrlFromEnv();
  const target: RedisTarget | undefined =
    typeof flags.redis === 'string'
      ? { url: flags.redis, source: '--redis' }
      : fromEnv !== undefined
        ? { url: fromEnv, source: 'DSPY_TS_REDIS_URL' }
        : undefined;
  if (target === undefined) {
    const orphan =
      flags.queue !== undefined
        ? '--queue'
        : flags.examplesPerJob !== undefined
          ? '--examples-per-job'
          : undefined;
    if (orphan !== undefined) {
      throw usageError(
        `${orphan} applies to evaluations handed to workers, but no Redis is given`,
        orphan,
        `Pass --redis redis://host:6379 (or set DSPY_TS_REDIS_URL) to run the evaluations of dspy-ts ${command} on dspy-ts worker processes, or drop ${orphan}.`,
      );
    }
    return undefined;
  }
  return checkRedisUrl(target);
}

/** `module#export` as a worker started in the same directory names it (`src/qa.ts#QA`). */
export function workerRef(ref: ProgramRef, cwd = process.cwd()): string {
  const file = resolve(cwd, ref.module);
  const rel = relative(cwd, file).split('\\').join('/');
  const module = rel === '' || rel.startsWith('..') ? file : rel;
  return `${module}#${ref.exportName}`;
}

/** What {@link openQueueRunner} needs besides the flags. */
export interface QueueRunnerSetup {
  readonly command: 'eval' | 'compile';
  /** The program the workers must serve. */
  readonly program: ProgramRef;
  /** `--concurrency` as given (not the config file's): the examples queued at once. */
  readonly concurrency?: string;
  readonly io: Io;
  /** For tests: the module instead of importing it. */
  readonly distributed?: DistributedModule;
}

/**
 * A `QueueRunner` on the Redis of `--redis` / `DSPY_TS_REDIS_URL` (undefined when neither is
 * given), connected: a Redis that does not answer is an error now, naming the URL without its
 * password. One line on stderr says where the evaluations go and how many workers listen;
 * with none, that the examples wait in the queue until one starts. Close it when done.
 */
export async function openQueueRunner(
  flags: QueueFlags,
  setup: QueueRunnerSetup,
): Promise<QueueRunner | undefined> {
  const target = queueTarget(flags, setup.command);
  if (target === undefined) return undefined;
  const examplesPerJob = intFlag(flags.examplesPerJob, '--examples-per-job');
  const concurrency = intFlag(setup.concurrency, '--concurrency');
  const queue = flags.queue ?? DEFAULT_QUEUE;
  if (queue.trim() === '') {
    throw usageError(
      '--queue must not be empty',
      '--queue',
      `Pass the queue the workers listen on: --queue ${DEFAULT_QUEUE}.`,
    );
  }
  const { QueueRunner } =
    setup.distributed ?? (await loadDistributed(undefined, `dspy-ts ${setup.command} --redis`));
  const program = workerRef(setup.program);
  const runner = new QueueRunner({
    connection: target.url,
    queue,
    program,
    ...(examplesPerJob !== undefined ? { examplesPerJob } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
  });
  try {
    await runner.connect();
  } catch (err) {
    await runner.close().catch(() => undefined);
    throw inRedisTerms(err, target);
  }
  const listening = await runner.workers();
  const where = `queue ${queue} at ${redactUrl(target.url)}${target.source === 'DSPY_TS_REDIS_URL' ? ' (from DSPY_TS_REDIS_URL; --no-redis evaluates here)' : ''}`;
  const start = `dspy-ts worker --program ${program}${queue === DEFAULT_QUEUE ? '' : ` --queue ${queue}`} --redis ${redactUrl(target.url)}`;
  setup.io.stderr.write(
    listening === 0
      ? `dspy-ts: evaluations go to ${where}, where no worker listens yet: they wait there until one starts (${start}).\n`
      : `dspy-ts: evaluations go to ${listening === undefined ? 'the workers' : `${listening} worker(s)`} of ${where}.\n`,
  );
  return runner;
}
