import pLimit from 'p-limit';
import { DspyError } from '../errors.js';
import { optionalNodeBuiltin } from '../runtime/node-builtins.js';
import { currentSettings, logger } from '../settings.js';
import { runContext, withRunContext } from './context.js';
import { ModuleBase } from './module.js';

/** One job of {@link Parallel}: a module (or function) and its inputs. */
export type ParallelJob<I = never, O = unknown> =
  | readonly [{ forward(inputs: I): Promise<O> } | ((inputs: I) => O | Promise<O>), I]
  | {
      readonly module: { forward(inputs: I): Promise<O> } | ((inputs: I) => O | Promise<O>);
      readonly inputs: I;
    };

/** Options of {@link Parallel}. */
export interface ParallelOptions {
  /** Jobs running at once (default: settings' `numThreads`, else 8). */
  readonly numThreads?: number;
  /** Failed jobs tolerated; one more stops the run with `PARALLEL_ERROR_BUDGET` (default: settings' `maxErrors`, else 10). */
  readonly maxErrors?: number;
}

/** The result of a job: its output, or `undefined` when it failed within the error budget. */
export type ParallelResult<O> = O | undefined;

function inputsOf(value: unknown): unknown {
  if (value && typeof value === 'object' && typeof (value as { inputs?: unknown }).inputs === 'function') {
    const ex = value as { inputKeys?: unknown; inputs(): unknown };
    if (ex.inputKeys !== undefined) return ex.inputs();
  }
  return value;
}

function unpack<I, O>(job: ParallelJob<I, O>): [(inputs: I) => O | Promise<O>, I] {
  const [target, inputs] = Array.isArray(job)
    ? (job as readonly [unknown, I])
    : [(job as { module: unknown }).module, (job as { inputs: I }).inputs];
  const run =
    typeof target === 'function'
      ? (target as (inputs: I) => O | Promise<O>)
      : (x: I) => (target as { forward(inputs: I): Promise<O> }).forward(x);
  return [run, inputsOf(inputs) as I];
}

/**
 * Runs many (module, inputs) jobs with bounded concurrency and returns their results in job
 * order. A failed job's result is `undefined` and its error is kept in `errors`; one failure
 * beyond `maxErrors` cancels the jobs not yet started, aborts the LM calls of the running ones
 * and throws. Examples as inputs are
 * reduced to their `inputs()`.
 *
 * @example
 * ```ts
 * const par = new Parallel({ numThreads: 16, maxErrors: 2 });
 * const preds = await par.forward(questions.map((q) => [qa, { question: q }] as const));
 * ```
 */
export class Parallel extends ModuleBase<readonly ParallelJob<never, unknown>[], unknown[]> {
  private readonly options: ParallelOptions;
  /** The errors of the last run, by job index. */
  declare lastErrors: ReadonlyMap<number, unknown>;

  constructor(options: ParallelOptions = {}) {
    super();
    const { numThreads, maxErrors } = options;
    if (numThreads !== undefined && (!Number.isInteger(numThreads) || numThreads < 1)) {
      throw new DspyError(
        'MODULE_INVALID',
        `Parallel: numThreads must be a positive integer, got ${numThreads}.`,
        {
          details: { where: 'Parallel', fix: 'Pass { numThreads: 8 } or another positive integer.' },
        },
      );
    }
    if (maxErrors !== undefined && (!Number.isInteger(maxErrors) || maxErrors < 0)) {
      throw new DspyError(
        'MODULE_INVALID',
        `Parallel: maxErrors must be a non-negative integer, got ${maxErrors}.`,
        {
          details: { where: 'Parallel', fix: 'Pass { maxErrors: 10 } or another integer >= 0.' },
        },
      );
    }
    this.options = options;
    Object.defineProperty(this, 'lastErrors', { value: new Map(), writable: true });
  }

  /** Runs every job; results in job order (`undefined` for failed jobs). */
  override async forward<I, O>(jobs: readonly ParallelJob<I, O>[]): Promise<ParallelResult<O>[]> {
    const settings = currentSettings();
    const limit = pLimit(this.options.numThreads ?? settings.numThreads ?? 8);
    const maxErrors = this.options.maxErrors ?? settings.maxErrors ?? 10;
    const results: ParallelResult<O>[] = new Array(jobs.length).fill(undefined);
    const errors = new Map<number, unknown>();
    this.lastErrors = errors;
    let stop: DspyError | undefined;
    // Aborts the LM calls of running jobs once the budget is spent (and when the caller's run stops).
    const cancel = new AbortController();
    const outer = runContext.getStore()?.signal;
    const signal = outer ? AbortSignal.any([outer, cancel.signal]) : cancel.signal;
    optionalNodeBuiltin('node:events')?.setMaxListeners(0, signal);
    // Jobs queued after the budget is spent return at once (clearQueue would leave them pending).
    const runOne = async (index: number): Promise<void> => {
      if (stop) return;
      const [run, inputs] = unpack(jobs[index] as ParallelJob<I, O>);
      try {
        results[index] = await withRunContext({ signal }, () => run(inputs));
      } catch (err) {
        if (stop) return;
        errors.set(index, err);
        logger().warn(`Parallel: job ${index} failed: ${err instanceof Error ? err.message : String(err)}`);
        if (errors.size > maxErrors && !stop) {
          stop = new DspyError(
            'PARALLEL_ERROR_BUDGET',
            `Parallel: ${errors.size} jobs failed, more than maxErrors = ${maxErrors}; the remaining jobs were cancelled.`,
            {
              cause: err,
              details: {
                where: `Parallel job ${index}`,
                fix: 'Fix the cause of the first errors (see `cause` and `errors`), or raise maxErrors.',
                errors: [...errors.entries()].map(([i, e]) => ({ index: i, error: e })),
              },
            },
          );
          cancel.abort(stop);
        }
      }
    };
    await Promise.all(jobs.map((_, i) => limit(runOne, i)));
    if (stop) throw stop;
    return results;
  }
}
