import { DspyError } from '../errors.js';
import { createAsyncContext } from '../runtime/async-context.js';
import { checkNumberOption } from '../utils/number-option.js';
import {
  type BudgetAmount,
  type BudgetCaps,
  type BudgetLedger,
  type BudgetReservation,
  budgetExhausted,
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

class Tracker {
  readonly totals = new UsageCounter();
  readonly budget: ActiveBudget | undefined;
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
  }
}

const store = createAsyncContext<Tracker>();

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
  /** Tokens and cost the call may spend at most (cost undefined when the model has no price). */
  estimate(): { readonly tokens: number; readonly cost: number | undefined };
  /** True when the cache would answer the call (then it is free and never refused). */
  cached?(): Promise<boolean>;
}

function amountOf(r: UsageSource): BudgetAmount {
  if (r.cacheHit) return ZERO_AMOUNT;
  return { calls: 1, tokens: r.usage.totalTokens, cost: r.cost ?? 0 };
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
  return reserveInMemory(chain, call) ?? reserveCapped(chain, call);
}

/**
 * The common case done without a single await: every cap in scope kept in this process
 * (`MemoryBudgetLedger`) and the call fits under all of them. Undefined otherwise (the call then
 * goes the general way: it may wait for calls under way, be let through by the cache, or be refused).
 */
function reserveInMemory(chain: readonly Tracker[], call: PlannedCall | undefined): UsageTicket | undefined {
  const capped = chain.filter((t) => t.budget);
  if (!capped.every((t) => t.budget?.ledger instanceof MemoryBudgetLedger)) return undefined;
  const model = call?.model ?? 'model';
  const raw = call?.estimate() ?? { tokens: 0, cost: 0 };
  const granted: { ledger: MemoryBudgetLedger; id: string }[] = [];
  for (const t of capped) {
    const budget = t.budget as ActiveBudget;
    const ledger = budget.ledger as MemoryBudgetLedger;
    const answer = ledger.reserveNow(estimateFor(t, model, raw), budget.caps);
    if (!answer.granted) {
      for (const g of granted) g.ledger.releaseNow(g.id);
      return undefined;
    }
    granted.push({ ledger, id: answer.id });
  }
  let done = false;
  return {
    settle(response) {
      if (done) return;
      done = true;
      const actual = amountOf(response);
      noteDearest(chain, model, raw, actual);
      for (const t of chain) t.totals.add(response);
      for (const g of granted) g.ledger.commitNow(g.id, actual);
    },
    release() {
      if (done) return;
      done = true;
      for (const g of granted) g.ledger.releaseNow(g.id);
    },
  };
}

/** What one call is estimated at in tracker `t` (a model without a price: its dearest call so far). */
function estimateFor(
  t: Tracker,
  model: string,
  raw: { tokens: number; cost: number | undefined },
): BudgetAmount {
  return { calls: 1, tokens: raw.tokens, cost: raw.cost ?? t.dearest.get(model) ?? 0 };
}

/** Remembers the dearest call of a model without a price, for the next estimates. */
function noteDearest(
  chain: readonly Tracker[],
  model: string,
  raw: { cost: number | undefined },
  actual: BudgetAmount,
): void {
  if (raw.cost !== undefined || actual.cost <= 0) return;
  for (const t of chain) t.dearest.set(model, Math.max(t.dearest.get(model) ?? 0, actual.cost));
}

/** The ticket of a call no cap applies to, or one let through because the cache answers it. */
function plainTicket(chain: readonly Tracker[]): UsageTicket {
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

/** Longest wait for calls under way to settle before a call their reservations keep out is refused. */
const BUDGET_WAIT_MS = 120_000;

/**
 * Reserves `estimate`; while a refusal is due to calls still under way (their reservations may
 * be larger than what they end up spending), waits for them and asks again, so concurrent runs
 * stop only once the budget itself is spent.
 */
async function reserveOrWait(
  budget: ActiveBudget,
  estimate: BudgetAmount,
  cached: () => Promise<boolean>,
): Promise<BudgetReservation | 'cached'> {
  const started = Date.now();
  let delay = 2;
  for (let tries = 0; ; tries++) {
    const answer = await budget.ledger.reserve(estimate, budget.caps);
    if (answer.granted) return answer;
    // A call the cache answers spends nothing: it goes ahead whatever the budget, without waiting.
    if (tries === 0 && (await cached())) return 'cached';
    if (answer.reserved.calls === 0 || Date.now() - started > BUDGET_WAIT_MS) return answer;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 100);
  }
}

async function reserveCapped(chain: readonly Tracker[], call: PlannedCall | undefined): Promise<UsageTicket> {
  const model = call?.model ?? 'model';
  const raw = call?.estimate() ?? { tokens: 0, cost: 0 };
  const granted: { tracker: Tracker; id: string }[] = [];
  let cachedAnswer: Promise<boolean> | undefined;
  const isCached = (): Promise<boolean> => {
    cachedAnswer ??= call?.cached ? call.cached() : Promise.resolve(false);
    return cachedAnswer;
  };
  for (const t of chain) {
    if (!t.budget) continue;
    const estimate = estimateFor(t, model, raw);
    const answer = await reserveOrWait(t.budget, estimate, isCached);
    if (answer !== 'cached' && answer.granted) {
      granted.push({ tracker: t, id: answer.id });
      continue;
    }
    await Promise.all(granted.map((g) => g.tracker.budget?.ledger.release(g.id)));
    if (answer === 'cached') return plainTicket(chain);
    throw budgetExhausted(answer, t.budget.caps, estimate, model);
  }
  let done = false;
  return {
    async settle(response) {
      if (done) return;
      done = true;
      const actual = amountOf(response);
      noteDearest(chain, model, raw, actual);
      for (const t of chain) t.totals.add(response);
      await Promise.all(granted.map((g) => g.tracker.budget?.ledger.commit(g.id, actual)));
    },
    async release() {
      if (done) return;
      done = true;
      await Promise.all(granted.map((g) => g.tracker.budget?.ledger.release(g.id)));
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
