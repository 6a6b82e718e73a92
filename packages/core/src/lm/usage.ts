import { DspyError } from '../errors.js';
import { createAsyncContext } from '../runtime/async-context.js';
import { checkNumberOption } from '../utils/number-option.js';
import {
  type BudgetCaps,
  type BudgetLedger,
  estimateCall,
  MemoryBudgetLedger,
  ZERO_AMOUNT,
} from './budget.js';
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

/**
 * Budgets of a {@link trackUsage} scope. Before each call `callLM` estimates it (prompt tokens
 * from the rendered messages, plus the request's `maxTokens`, priced by the price table) and
 * refuses it with `BUDGET_EXHAUSTED` when spent + that estimate would pass a cap. Calls the
 * cache answers cost nothing and are never refused.
 */
export interface UsageLimits extends BudgetCaps {
  /**
   * Where the running total is kept (default: a new `MemoryBudgetLedger` for this scope). A
   * shared ledger (`RedisBudgetLedger` of `@dspy-ts/distributed`) makes several processes draw
   * on one budget.
   */
  readonly ledger?: BudgetLedger;
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

/** A capped scope's budget: its caps and the ledger holding its running total. */
export interface ActiveBudget {
  readonly caps: BudgetCaps;
  readonly ledger: BudgetLedger;
}

/**
 * What the budget half (`usage-budget.ts`) needs of the budget module, handed over by the capped
 * tracker that made the budget: a call outside a capped scope never bundles the estimates.
 */
export interface BudgetKit {
  readonly MemoryBudgetLedger: typeof MemoryBudgetLedger;
  readonly estimateCall: typeof estimateCall;
  readonly ZERO_AMOUNT: typeof ZERO_AMOUNT;
}

const BUDGET_KIT: BudgetKit = { MemoryBudgetLedger, estimateCall, ZERO_AMOUNT };

/** The usage and budget of one {@link trackUsage} scope. @internal */
export class Tracker {
  readonly totals = new UsageCounter();
  readonly budget: ActiveBudget | undefined;
  /** What the budget half needs of the budget module (set on a capped tracker). */
  readonly kit: BudgetKit | undefined;
  /** The dearest call so far per model without a price: what its next call is estimated at. */
  readonly dearest = new Map<string, number>();
  constructor(
    limits: UsageLimits | undefined,
    readonly parent: Tracker | undefined,
  ) {
    const caps: BudgetCaps = {
      ...(limits?.maxLMCalls !== undefined ? { maxLMCalls: limits.maxLMCalls } : {}),
      ...(limits?.maxTokens !== undefined ? { maxTokens: limits.maxTokens } : {}),
      ...(limits?.maxCost !== undefined ? { maxCost: limits.maxCost } : {}),
    };
    const capped = Object.keys(caps).length > 0;
    this.budget = capped ? { caps, ledger: limits?.ledger ?? new MemoryBudgetLedger() } : undefined;
    this.kit = capped ? BUDGET_KIT : undefined;
  }
}

const store = createAsyncContext<Tracker>();

type Budgeting = typeof import('./usage-budget.js');
let budgeting: Budgeting | undefined;
let loadingBudgeting: Promise<Budgeting> | undefined;

/** Loads the budget half of usage tracking (`usage-budget.ts`), once. */
function loadBudgeting(): Promise<Budgeting> {
  loadingBudgeting ??= import('./usage-budget.js').then((m) => {
    budgeting = m;
    return m;
  });
  return loadingBudgeting;
}

/** A reservation made before a call; settle it with the response or release it on failure. */
export interface UsageTicket {
  settle(response: UsageSource): void | Promise<void>;
  release(): void | Promise<void>;
}

const NOOP_TICKET: UsageTicket = { settle() {}, release() {} };

/** What {@link reserveUsage} needs to know of the call about to be made. */
export interface PlannedCall {
  /** `provider/model`, for the price and messages. */
  readonly model: string;
  /**
   * Tokens and cost the call may spend at most (cost undefined when the model has no price);
   * `estimateCall` is the budget module's estimate of an LM request, handed over by the budget.
   */
  estimate(estimateCall: BudgetKit['estimateCall']): {
    readonly tokens: number;
    readonly cost: number | undefined;
  };
  /** True when the cache would answer the call (then it is free and never refused). */
  cached?(): Promise<boolean>;
}

/**
 * Reserves one call in every tracker in scope, checking each capped one against its caps with
 * the call's estimate; throws `DspyError('BUDGET_EXHAUSTED')` when the call would pass a cap
 * (unless the cache answers it). Used by `callLM` and the embedders. Synchronous when no scope
 * in reach has caps.
 */
export function reserveUsage(call?: PlannedCall): UsageTicket | Promise<UsageTicket> {
  const inner = store.getStore();
  if (!inner) return NOOP_TICKET;
  const chain: Tracker[] = [];
  for (let t: Tracker | undefined = inner; t; t = t.parent) chain.push(t);
  if (!chain.some((t) => t.budget)) return plainTicket(chain);
  // Loaded by the capped trackUsage that made the budget.
  if (budgeting) return budgeting.reserve(chain, call);
  return loadBudgeting().then((m) => m.reserve(chain, call));
}

/** The ticket of a call no cap applies to, or one let through because the cache answers it. */
export function plainTicket(chain: readonly Tracker[]): UsageTicket {
  let done = false;
  return {
    settle(response) {
      if (done) return;
      done = true;
      for (const t of chain) t.totals.add(response);
    },
    release() {
      done = true;
    },
  };
}

/**
 * Runs `fn` and returns its result with the usage of every LM call made inside it (through
 * `callLM`), nested trackers included. With `limits`, a call that would pass a cap (what is
 * spent plus the call's estimate) throws `DspyError('BUDGET_EXHAUSTED')` before it is made;
 * cache hits are free and never refused.
 *
 * @example
 * ```ts
 * const { result, usage } = await trackUsage(() => qa.forward({ question }), { maxCost: 0.5 });
 * console.log(usage.totalTokens, usage.cost);
 * ```
 */
export async function trackUsage<T>(
  fn: () => T | Promise<T>,
  limits?: UsageLimits,
): Promise<{ result: T; usage: UsageSummary }> {
  if (limits) checkLimits('trackUsage', limits);
  const tracker = new Tracker(limits, store.getStore());
  // A capped scope reserves each call before it is made: the budget half loads first, once.
  if (tracker.budget && !budgeting) await loadBudgeting();
  const result = await store.run(tracker, fn);
  return { result, usage: tracker.totals.snapshot() };
}

/**
 * Throws `OPTION_INVALID` for a cap that is not a number ≥ 0 (`maxLMCalls` and `maxTokens`
 * whole), or a ledger given without any cap.
 */
export function checkLimits(owner: string, limits: BudgetCaps): void {
  checkNumberOption(owner, 'maxCost', limits.maxCost, { min: 0 });
  checkNumberOption(owner, 'maxTokens', limits.maxTokens, { integer: true, min: 0 });
  checkNumberOption(owner, 'maxLMCalls', limits.maxLMCalls, { integer: true, min: 0 });
  const capped =
    limits.maxCost !== undefined || limits.maxTokens !== undefined || limits.maxLMCalls !== undefined;
  const given = limits as { ledger?: unknown; budgetLedger?: unknown };
  if ((given.ledger ?? given.budgetLedger) !== undefined && !capped) {
    throw new DspyError(
      'OPTION_INVALID',
      `${owner}: a budget ledger was given without a cap to check it against.`,
      {
        details: {
          where: `${owner} options`,
          fix: 'Add maxCost, maxTokens or maxLMCalls, or leave the ledger out.',
        },
      },
    );
  }
}

/** The usage so far of the innermost {@link trackUsage} scope, if any. */
export function currentUsage(): UsageSummary | undefined {
  return store.getStore()?.totals.snapshot();
}

/** The budget of the innermost capped {@link trackUsage} scope, if any (what a runner passes to its workers). */
export function currentBudget(): ActiveBudget | undefined {
  for (let t = store.getStore(); t; t = t.parent) if (t.budget) return t.budget;
  return undefined;
}
