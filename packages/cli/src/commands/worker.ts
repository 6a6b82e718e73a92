import { resolve } from 'node:path';
import type { Metric, PredictionLike, ProgramLike } from '@dspy-ts/core';
import type { DistributedWorker, WorkerEvent } from '@dspy-ts/distributed';
import { type Io, intFlag, type LMFlags, prepare } from '../context.js';
import { EXIT_OK, usageError } from '../errors.js';
import { resolveMetric } from '../metric.js';
import { importModule, instantiate, type LoadedProgram, loadProgram, parseProgramRef } from '../program.js';
import { loadGeneratedFor } from '../project.js';
import {
  checkRedisUrl,
  DEFAULT_REDIS_URL,
  type DistributedModule,
  inRedisTerms,
  loadDistributed,
  redactUrl,
  redisUrlFromEnv,
} from '../redis.js';

export { DEFAULT_REDIS_URL, loadDistributed, redactUrl } from '../redis.js';

/** Flags of `dspy-ts worker`. */
export interface WorkerFlags extends LMFlags {
  readonly program: readonly string[];
  readonly redis?: string;
  readonly queue?: string;
  readonly metric?: readonly string[];
  readonly stalledAfter?: string;
  readonly logEvery?: string;
  readonly project?: string;
  readonly generated?: string;
}

/** Jobs a worker runs at once unless `--concurrency` says otherwise. */
const DEFAULT_CONCURRENCY = 16;

/** Where `dspy-ts worker` stops: SIGINT / SIGTERM of the process, or a test's own signals. */
export interface StopSignals {
  /** Calls `listener` on each request to stop; returns a function that stops listening. */
  on(listener: (signal: string) => void): () => void;
}

/** The process's SIGINT and SIGTERM. */
export const processSignals: StopSignals = {
  on(listener) {
    process.on('SIGINT', listener);
    process.on('SIGTERM', listener);
    return () => {
      process.off('SIGINT', listener);
      process.off('SIGTERM', listener);
    };
  },
};

/** One program the worker serves. */
interface Served {
  /** The reference as given (`src/qa.ts#QA`). */
  readonly text: string;
  readonly file: string;
  readonly exportName: string;
  /** The class name of its program (what a runner without `program` sends). */
  readonly className: string;
  /** A fresh program: each run loads its own artifact into its own copy. */
  readonly fresh: () => ProgramLike<PredictionLike>;
}

async function serve(text: string, cwd: string): Promise<Served> {
  const ref = parseProgramRef(text);
  const first: LoadedProgram = await loadProgram(ref, cwd);
  const file = resolve(cwd, ref.module);
  const value = (await importModule(file))[ref.exportName];
  const where = `${ref.module}#${ref.exportName}`;
  // An exported instance is shared by the whole module: each run gets a deep copy of it.
  const fresh =
    value === first
      ? () => (first as unknown as { clone(): ProgramLike<PredictionLike> }).clone()
      : () => instantiate(value, where) as unknown as ProgramLike<PredictionLike>;
  if (value === first && typeof (first as { clone?: unknown }).clone !== 'function') {
    throw usageError(
      `${where} is a program instance that cannot be copied (it has no clone())`,
      where,
      'Export the program class (a Module subclass) instead, so that each run gets a program of its own.',
    );
  }
  return { text, file, exportName: ref.exportName, className: first.constructor?.name ?? '', fresh };
}

/** The served program a job names: by reference (same file and export), else by export or class name. */
function find(served: readonly Served[], ref: string | undefined, name: string, cwd: string): Served {
  if (ref !== undefined) {
    const hash = ref.lastIndexOf('#');
    const file = resolve(cwd, hash < 0 ? ref : ref.slice(0, hash));
    const exportName = hash < 0 ? 'default' : ref.slice(hash + 1);
    const exact = served.find((s) => s.text === ref || (s.file === file && s.exportName === exportName));
    if (exact) return exact;
  }
  const byName = served.filter((s) => s.exportName === name || s.className === name);
  if (ref === undefined && byName.length === 1) return byName[0] as Served;
  const known = served.map((s) => s.text).join(', ');
  throw usageError(
    `this worker does not serve the program ${ref ?? name} (it serves ${known})`,
    ref ?? name,
    'Start a worker with --program for it (on its own --queue), or give QueueRunner the reference the worker was started with: new QueueRunner({ program: "src/x.ts#X" }).',
  );
}

/** Metrics named by `--metric module#export`, under the function's name and the export name. */
async function metricsOf(
  texts: readonly string[],
  program: LoadedProgram,
): Promise<Record<string, Metric<never, never>>> {
  const metrics: Record<string, Metric<never, never>> = {};
  for (const text of texts) {
    if (!text.includes('#')) {
      throw usageError(
        `--metric ${text}: a worker registers metric functions of the project (module#export)`,
        '--metric',
        'Built-in metrics (exactMatch, f1, on any field) need no --metric on a worker; name your own as --metric src/metric.ts#score.',
      );
    }
    const fn = (await resolveMetric(text, program)) as Metric<never, never>;
    metrics[parseProgramRef(text).exportName] = fn;
    if (fn.name) metrics[fn.name] = fn;
  }
  return metrics;
}

function timestamp(): string {
  return new Date().toISOString().slice(11, 19);
}

/**
 * `dspy-ts worker --program src/x.ts#X`: runs the evaluation jobs a `QueueRunner` queues on Redis
 * (for `evaluate`, or an optimizer's candidate evaluations) with the LM of the usual flags,
 * config and environment, until SIGINT or SIGTERM: the first lets the running jobs finish, a
 * second gives them back to the queue at once. Progress and events go to stderr.
 */
export async function workerCommand(
  flags: WorkerFlags,
  io: Io,
  signals: StopSignals = processSignals,
  distributed?: DistributedModule,
): Promise<number> {
  const cwd = process.cwd();
  const concurrency = intFlag(flags.concurrency, '--concurrency') ?? DEFAULT_CONCURRENCY;
  const stalledAfterMs = intFlag(flags.stalledAfter, '--stalled-after', 100);
  const logEverySec = intFlag(flags.logEvery, '--log-every', 0) ?? 10;
  if (flags.program.length === 0) {
    throw usageError(
      'dspy-ts worker needs the programs it may run',
      '--program',
      'Pass --program src/x.ts#X (repeat it for more programs).',
    );
  }
  const target = checkRedisUrl(
    flags.redis !== undefined
      ? { url: flags.redis, source: '--redis' }
      : {
          url: redisUrlFromEnv() ?? DEFAULT_REDIS_URL,
          source: redisUrlFromEnv() ? 'DSPY_TS_REDIS_URL' : 'the default',
        },
  );
  const url = target.url;
  const { startWorker } = distributed ?? (await loadDistributed());
  const ctx = await prepare({ ...flags, concurrency: String(concurrency) }, io, cwd);
  await loadGeneratedFor(flags, ctx.config, io, cwd);
  const served: Served[] = [];
  for (const text of flags.program) served.push(await serve(text, cwd));
  const metrics = await metricsOf(
    flags.metric ?? [],
    (served[0] as Served).fresh() as unknown as LoadedProgram,
  );

  const log = (line: string) => io.stderr.write(`dspy-ts worker ${timestamp()} ${line}\n`);
  let worker: DistributedWorker;
  try {
    worker = await startWorker({
      connection: url,
      ...(flags.queue !== undefined ? { queue: flags.queue } : {}),
      concurrency,
      programs: (ref, name) => find(served, ref, name, cwd).fresh(),
      metrics,
      ...(stalledAfterMs !== undefined ? { stalledAfterMs } : {}),
      onEvent: (event: WorkerEvent) => {
        if (event.type === 'run') log(`run ${event.run}: program ${event.program}`);
        else if (event.final) log(`run ${event.run}: example ${event.index} failed: ${event.message}`);
        else
          log(
            `run ${event.run}: example ${event.index}, attempt ${event.attempt} failed (retried): ${event.message}`,
          );
      },
    });
  } catch (err) {
    // The library speaks of `connection`; here it is --redis.
    throw inRedisTerms(err, target);
  }
  log(
    `ready: queue ${flags.queue ?? 'dspy-ts-evaluate'} on ${redactUrl(url)}, ${concurrency} example(s) at once, LM ${ctx.lm.name}, programs ${served.map((s) => s.text).join(', ')}`,
  );

  let shown = 0;
  const ticker =
    logEverySec > 0
      ? setInterval(() => {
          if (worker.processed === shown) return;
          shown = worker.processed;
          log(`${shown} example(s) done, ${worker.running} running`);
        }, logEverySec * 1000)
      : undefined;
  ticker?.unref?.();

  let stops = 0;
  await new Promise<void>((done) => {
    const stopListening = signals.on((signal) => {
      stops += 1;
      if (stops === 1) {
        log(
          `${signal}: stopping; finishing ${worker.running} running example(s) (${signal} again gives their jobs back to the queue)`,
        );
        void worker.close().then(() => {
          stopListening();
          done();
        });
      } else {
        log(`${signal}: giving the jobs of ${worker.running} running example(s) back to the queue`);
        void worker.close({ release: true });
      }
    });
  });
  if (ticker) clearInterval(ticker);
  log(`stopped after ${worker.processed} example(s)`);
  return EXIT_OK;
}
