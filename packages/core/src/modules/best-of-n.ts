import { DspyError } from '../errors.js';
import { currentSettings, logger, withSettings } from '../settings.js';
import { withRunContext } from './context.js';
import { ModuleBase } from './module.js';
import { appendTrace, runWithTrace } from './trace.js';
import type { Predictor, TraceEntry } from './types.js';

/** Anything with an async `forward(inputs)`: a module, a predictor, a program. */
export interface ModuleLike<I, O> {
  forward(inputs: I): Promise<O>;
}

/** Scores one attempt; higher is better. May be async. */
export type RewardFn<I, O> = (inputs: I, prediction: O) => number | boolean | Promise<number | boolean>;

/** Options of {@link BestOfN} and {@link Refine}. */
export interface RolloutOptions<I, O> {
  /** Maximum attempts. */
  readonly N: number;
  /** Scores an attempt. */
  readonly rewardFn: RewardFn<I, O>;
  /** Stops at the first attempt whose reward reaches it. */
  readonly threshold: number;
  /** Failed attempts (errors) tolerated before the last error is raised (default N). */
  readonly failCount?: number;
}

/** One finished attempt. @internal */
export interface Attempt<O> {
  readonly prediction: O;
  readonly reward: number;
  readonly trace: TraceEntry[];
}

/** Checks rollout options; names the module in errors. @internal */
export function checkRolloutOptions(where: string, opts: RolloutOptions<never, never>): void {
  const fail = (problem: string, fix: string): never => {
    throw new DspyError('MODULE_INVALID', `${where}: ${problem}`, { details: { where, fix } });
  };
  if (!Number.isInteger(opts.N) || opts.N < 1)
    fail(`N must be a positive integer, got ${opts.N}.`, 'Pass { N: 3 }.');
  if (typeof opts.rewardFn !== 'function')
    fail('rewardFn must be a function.', 'Pass { rewardFn: (inputs, pred) => score }.');
  if (typeof opts.threshold !== 'number' || Number.isNaN(opts.threshold)) {
    fail('threshold must be a number.', 'Pass { threshold: 1.0 }.');
  }
}

function rolloutId(base: string | number | undefined, i: number): string | number {
  if (base === undefined) return i;
  return typeof base === 'number' ? base + i : `${base}.${i}`;
}

async function score<I, O>(fn: RewardFn<I, O>, inputs: I, prediction: O, where: string): Promise<number> {
  let value: number | boolean;
  try {
    value = await fn(inputs, prediction);
  } catch (err) {
    throw new DspyError(
      'METRIC_ERROR',
      `${where}: rewardFn threw: ${err instanceof Error ? err.message : String(err)}`,
      {
        cause: err,
        details: {
          where: `${where}.rewardFn`,
          fix: 'Make the reward function return a number for every prediction.',
        },
      },
    );
  }
  const n = typeof value === 'boolean' ? Number(value) : value;
  if (typeof n !== 'number' || Number.isNaN(n)) {
    throw new DspyError('METRIC_ERROR', `${where}: rewardFn returned ${String(value)}, not a number.`, {
      details: { where: `${where}.rewardFn`, fix: 'Return a number (or a boolean).' },
    });
  }
  return n;
}

/**
 * Runs attempts at temperature 1.0 with distinct rollout ids until one reaches the threshold;
 * returns the best (the first of equal rewards). Propagates the best attempt's trace.
 * `before(i)` gives the hints for attempt i; `after(attempt, i)` runs after a failing attempt.
 * @internal
 */
export async function runRollouts<I, O>(
  where: string,
  module: ModuleLike<I, O>,
  inputs: I,
  opts: RolloutOptions<I, O>,
  hooks: {
    hints?: (i: number) => ReadonlyMap<Predictor, string> | undefined;
    after?: (attempt: Attempt<O>, i: number) => Promise<void>;
  } = {},
): Promise<O> {
  const scoped = currentSettings().lmRequest;
  const failCount = opts.failCount ?? opts.N;
  let best: Attempt<O> | undefined;
  let failures = 0;
  let lastError: unknown;
  for (let i = 0; i < opts.N; i++) {
    const lmRequest = { ...scoped, temperature: 1.0, rolloutId: rolloutId(scoped?.rolloutId, i) };
    try {
      const hints = hooks.hints?.(i);
      const { result, trace } = await withSettings({ lmRequest }, () =>
        withRunContext({ hints }, () => runWithTrace(() => module.forward(inputs))),
      );
      const reward = await score(opts.rewardFn, inputs, result, where);
      const attempt = { prediction: result, reward, trace };
      if (!best || reward > best.reward) best = attempt;
      if (reward >= opts.threshold) break;
      if (i < opts.N - 1) await hooks.after?.(attempt, i);
    } catch (err) {
      failures += 1;
      lastError = err;
      logger().warn(
        `${where}: attempt ${i + 1} of ${opts.N} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      if (failures >= failCount) throw err;
    }
  }
  if (!best) throw lastError;
  appendTrace(best.trace);
  return best.prediction;
}

/**
 * Runs a module up to N times (temperature 1.0, distinct rollout ids) and returns the
 * prediction with the highest reward, stopping early at the first that reaches `threshold`.
 *
 * @example
 * ```ts
 * const best = new BestOfN(qa, { N: 3, threshold: 1, rewardFn: (_x, p) => (p.answer.length < 20 ? 1 : 0) });
 * const pred = await best.forward({ question });
 * ```
 */
export class BestOfN<I, O> extends ModuleBase<I, O> {
  /** The module run on each attempt. */
  readonly module: ModuleLike<I, O>;
  private readonly opts: RolloutOptions<I, O>;

  constructor(module: ModuleLike<I, O>, opts: RolloutOptions<I, O>) {
    super();
    checkRolloutOptions('BestOfN', opts as RolloutOptions<never, never>);
    this.module = module;
    this.opts = opts;
  }

  /** Runs the attempts and returns the best prediction. */
  override forward(inputs: I): Promise<O> {
    return runRollouts('BestOfN', this.module, inputs, this.opts);
  }
}
