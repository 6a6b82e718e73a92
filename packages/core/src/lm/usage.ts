import { DspyError } from '../errors.js';
import { createAsyncContext } from '../runtime/async-context.js';
import type { LMResponse } from './types.js';

/** Totals of LM calls: per LM (`lm.usage`) and per scope ({@link trackUsage}). */
export interface UsageSummary {
  /** Completed calls, cache hits included. */
  readonly calls: number;
  /** Calls answered by the cache (zero tokens, zero cost). */
  readonly cacheHits: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
  /** Completion tokens spent on reasoning, over calls whose provider reports them. */
  readonly reasoningTokens: number;
  /** US dollars, over calls whose model has a known price. */
  readonly cost: number;
}

/** Budgets of a {@link trackUsage} scope; `callLM` refuses a call that would go over them. */
export interface UsageLimits {
  /** Most calls that reach the model (cache hits are free and not counted). */
  readonly maxLMCalls?: number;
  /** Most total tokens; a call starts only while the total is below it. */
  readonly maxTokens?: number;
  /** Most US dollars; a call starts only while the cost is below it. */
  readonly maxCost?: number;
}

/** What a usage total reads of a response (an LM's, or an embedder's request). */
export type UsageSource = Pick<LMResponse, 'cacheHit' | 'usage' | 'cost'>;

/** A mutable usage total. */
export class UsageCounter {
  calls = 0;
  cacheHits = 0;
  promptTokens = 0;
  completionTokens = 0;
  totalTokens = 0;
  reasoningTokens = 0;
  cost = 0;

  /** Adds one response. */
  add(r: UsageSource): void {
    this.calls += 1;
    if (r.cacheHit) {
      this.cacheHits += 1;
      return;
    }
    this.promptTokens += r.usage.promptTokens;
    this.completionTokens += r.usage.completionTokens;
    this.totalTokens += r.usage.totalTokens;
    this.reasoningTokens += r.usage.reasoningTokens ?? 0;
    this.cost += r.cost ?? 0;
  }

  /** A frozen copy. */
  snapshot(): UsageSummary {
    return Object.freeze({
      calls: this.calls,
      cacheHits: this.cacheHits,
      promptTokens: this.promptTokens,
      completionTokens: this.completionTokens,
      totalTokens: this.totalTokens,
      reasoningTokens: this.reasoningTokens,
      cost: this.cost,
    });
  }
}

class Tracker {
  readonly totals = new UsageCounter();
  /** Calls started and not yet known to be cache hits. */
  billable = 0;
  constructor(
    readonly limits: UsageLimits | undefined,
    readonly parent: Tracker | undefined,
  ) {}
}

const store = createAsyncContext<Tracker>();

/** A reservation made before a call; settle it with the response or release it on failure. */
export interface UsageTicket {
  settle(response: UsageSource): void;
  release(): void;
}

const NOOP_TICKET: UsageTicket = { settle() {}, release() {} };

function budgetError(what: string, used: number, limit: number): DspyError {
  return new DspyError('OPTIMIZER_BUDGET', `LM budget reached: ${what} ${used} of ${limit}`, {
    details: {
      where: 'trackUsage(fn, limits)',
      fix: 'Raise the limit, or run fewer trials / a smaller dataset.',
      used,
      limit,
    },
  });
}

function check(t: Tracker): void {
  const l = t.limits;
  if (!l) return;
  if (l.maxLMCalls !== undefined && t.billable + 1 > l.maxLMCalls) {
    throw budgetError('maxLMCalls', t.billable, l.maxLMCalls);
  }
  if (l.maxTokens !== undefined && t.totals.totalTokens >= l.maxTokens) {
    throw budgetError('maxTokens', t.totals.totalTokens, l.maxTokens);
  }
  if (l.maxCost !== undefined && t.totals.cost >= l.maxCost) {
    throw budgetError('maxCost', t.totals.cost, l.maxCost);
  }
}

/**
 * Checks every tracker in scope and reserves one call in each; throws
 * `DspyError('OPTIMIZER_BUDGET')` when a limit would be exceeded. Used by `callLM`.
 */
export function reserveUsage(): UsageTicket {
  const inner = store.getStore();
  if (!inner) return NOOP_TICKET;
  const chain: Tracker[] = [];
  for (let t: Tracker | undefined = inner; t; t = t.parent) {
    check(t);
    chain.push(t);
  }
  for (const t of chain) t.billable += 1;
  let done = false;
  return {
    settle(response) {
      if (done) return;
      done = true;
      for (const t of chain) {
        if (response.cacheHit) t.billable -= 1;
        t.totals.add(response);
      }
    },
    release() {
      if (done) return;
      done = true;
    },
  };
}

/**
 * Runs `fn` and returns its result with the usage of every LM call made inside it (through
 * `callLM`), nested trackers included. With `limits`, a call that would exceed them throws
 * `DspyError('OPTIMIZER_BUDGET')` before it is made.
 *
 * @example
 * ```ts
 * const { result, usage } = await trackUsage(() => qa.forward({ question }), { maxLMCalls: 10 });
 * console.log(usage.totalTokens, usage.cost);
 * ```
 */
export async function trackUsage<T>(
  fn: () => T | Promise<T>,
  limits?: UsageLimits,
): Promise<{ result: T; usage: UsageSummary }> {
  const tracker = new Tracker(limits, store.getStore());
  const result = await store.run(tracker, fn);
  return { result, usage: tracker.totals.snapshot() };
}

/** The usage so far of the innermost {@link trackUsage} scope, if any. */
export function currentUsage(): UsageSummary | undefined {
  return store.getStore()?.totals.snapshot();
}
