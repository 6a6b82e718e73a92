import { priceOf } from './prices.js';
import type { ChatMessage, LMRequest } from './types.js';

/** An amount counted against a budget: calls that reach the model, tokens, US dollars. */
export interface BudgetAmount {
  readonly calls: number;
  readonly tokens: number;
  readonly cost: number;
}

/** The caps of a budget; a call is refused when it would take the total past any of them. */
export interface BudgetCaps {
  /** Most calls that reach the model (cache hits are free and not counted). */
  readonly maxLMCalls?: number;
  /** Most prompt + completion tokens. */
  readonly maxTokens?: number;
  /** Most US dollars. */
  readonly maxCost?: number;
}

/** The answer of {@link BudgetLedger.reserve}. */
export type BudgetReservation =
  | { readonly granted: true; readonly id: string }
  | {
      readonly granted: false;
      /** The first cap the call would pass. */
      readonly limit: keyof BudgetCaps;
      /** What finished calls spent. */
      readonly spent: BudgetAmount;
      /** What calls still under way reserved. */
      readonly reserved: BudgetAmount;
    };

/**
 * Where a budget's running total lives. Before each call the caller reserves the call's
 * estimate; the ledger grants it only when spent + reserved + estimate stays within every cap
 * (one atomic step, so concurrent calls cannot all slip under a cap). When the call ends the
 * reservation is committed with what the call really spent, or released when it failed.
 *
 * `MemoryBudgetLedger` (the default) keeps the total in this process; `RedisBudgetLedger` of
 * `@dspy-ts/distributed` keeps it in Redis under a run's key, so every worker of a distributed
 * run draws on the same budget.
 */
export interface BudgetLedger {
  /** The name under which other processes find this ledger (a shared ledger's run key); absent for a local one. */
  readonly key?: string;
  /** Grants `estimate` when it fits under `caps` with everything spent and reserved, else says which cap it would pass. */
  reserve(estimate: BudgetAmount, caps: BudgetCaps): Promise<BudgetReservation>;
  /** Replaces a granted reservation by what the call actually spent. */
  commit(id: string, actual: BudgetAmount): Promise<void>;
  /** Drops a granted reservation (the call failed and spent nothing). */
  release(id: string): Promise<void>;
  /** What finished calls spent so far. */
  spent(): Promise<BudgetAmount>;
}

/** A zero {@link BudgetAmount}. */
export const ZERO_AMOUNT: BudgetAmount = Object.freeze({ calls: 0, tokens: 0, cost: 0 });

/**
 * The first cap `estimate` would pass on top of `used` (spent + reserved), if any. A cap of
 * calls or tokens is passed when used + estimate goes over it; a cost cap likewise, and also
 * when the total has reached it and the estimate is zero because the price is unknown.
 */
export function capPassed(
  used: BudgetAmount,
  estimate: BudgetAmount,
  caps: BudgetCaps,
): keyof BudgetCaps | undefined {
  if (caps.maxLMCalls !== undefined && used.calls + estimate.calls > caps.maxLMCalls) return 'maxLMCalls';
  if (caps.maxTokens !== undefined && used.tokens + estimate.tokens > caps.maxTokens) return 'maxTokens';
  if (caps.maxCost !== undefined && used.cost + estimate.cost > caps.maxCost * (1 + 1e-12)) return 'maxCost';
  if (
    caps.maxCost !== undefined &&
    estimate.cost === 0 &&
    estimate.calls > 0 &&
    used.cost >= caps.maxCost &&
    caps.maxCost > 0
  )
    return 'maxCost';
  return undefined;
}

/**
 * A budget total kept in this process: the default ledger of `trackUsage`, `evaluate` and the
 * optimizers.
 *
 * @example
 * ```ts
 * const ledger = new MemoryBudgetLedger();
 * await trackUsage(() => program.forward(inputs), { maxCost: 0.5, ledger });
 * console.log((await ledger.spent()).cost);
 * ```
 */
export class MemoryBudgetLedger implements BudgetLedger {
  #spent: BudgetAmount = ZERO_AMOUNT;
  #reserved: BudgetAmount = ZERO_AMOUNT;
  readonly #open = new Map<string, BudgetAmount>();
  #next = 0;

  reserve(estimate: BudgetAmount, caps: BudgetCaps): Promise<BudgetReservation> {
    return Promise.resolve(this.reserveNow(estimate, caps));
  }

  /** {@link MemoryBudgetLedger.reserve}, answered at once. */
  reserveNow(estimate: BudgetAmount, caps: BudgetCaps): BudgetReservation {
    const limit = capPassed(addAmounts(this.#spent, this.#reserved), estimate, caps);
    if (limit) return { granted: false, limit, spent: this.#spent, reserved: this.#reserved };
    const id = String(this.#next++);
    this.#open.set(id, estimate);
    this.#reserved = addAmounts(this.#reserved, estimate);
    return { granted: true, id };
  }

  commit(id: string, actual: BudgetAmount): Promise<void> {
    this.commitNow(id, actual);
    return Promise.resolve();
  }

  /** {@link MemoryBudgetLedger.commit}, done at once. */
  commitNow(id: string, actual: BudgetAmount): void {
    if (this.drop(id)) this.#spent = addAmounts(this.#spent, actual);
  }

  release(id: string): Promise<void> {
    this.drop(id);
    return Promise.resolve();
  }

  /** {@link MemoryBudgetLedger.release}, done at once. */
  releaseNow(id: string): void {
    this.drop(id);
  }

  spent(): Promise<BudgetAmount> {
    return Promise.resolve(this.#spent);
  }

  private drop(id: string): boolean {
    const held = this.#open.get(id);
    if (!held) return false;
    this.#open.delete(id);
    this.#reserved = subtractAmounts(this.#reserved, held);
    return true;
  }
}

/** `a + b`. */
export function addAmounts(a: BudgetAmount, b: BudgetAmount): BudgetAmount {
  return { calls: a.calls + b.calls, tokens: a.tokens + b.tokens, cost: a.cost + b.cost };
}

function subtractAmounts(a: BudgetAmount, b: BudgetAmount): BudgetAmount {
  // Never below zero: float sums of costs do not cancel exactly.
  return {
    calls: Math.max(0, a.calls - b.calls),
    tokens: Math.max(0, a.tokens - b.tokens),
    cost: Math.max(0, a.cost - b.cost),
  };
}

/** Completion tokens assumed for a call whose request and LM set no `maxTokens`. */
export const DEFAULT_OUTPUT_ESTIMATE = 1000;

/** Tokens assumed for an image, audio clip or file part of a message. */
const MEDIA_PART_TOKENS = 1000;

/** Tokens every message adds beyond its text (role and separators). */
const MESSAGE_OVERHEAD = 4;

/** An estimate of the prompt tokens of `messages` (about 4 characters a token, as the price tables of providers assume for English). */
export function estimatePromptTokens(
  messages: readonly ChatMessage[],
  request?: Pick<LMRequest, 'tools'>,
): number {
  let chars = 0;
  let tokens = 0;
  for (const m of messages) {
    tokens += MESSAGE_OVERHEAD;
    chars += m.content.length;
    const parts = 'parts' in m ? m.parts : undefined;
    for (const p of parts ?? []) {
      if (p.type === 'text') chars += p.text.length;
      else tokens += MEDIA_PART_TOKENS;
    }
    if (m.role === 'assistant')
      for (const c of m.toolCalls ?? []) chars += JSON.stringify(c.arguments).length;
  }
  if (request?.tools) chars += JSON.stringify(request.tools).length;
  return tokens + Math.ceil(chars / 4);
}

/**
 * What one call of `model` with `request` is expected to spend at most: its prompt tokens
 * (estimated from the rendered messages), plus `maxTokens` completion tokens per completion
 * (the request's, else `defaultMaxTokens`, else {@link DEFAULT_OUTPUT_ESTIMATE}), priced by
 * the price table. `cost` is undefined when the model has no price.
 */
export function estimateCall(
  model: string,
  request: LMRequest,
  defaultMaxTokens?: number,
): { promptTokens: number; completionTokens: number; cost: number | undefined } {
  const promptTokens = estimatePromptTokens(request.messages, request);
  const completionTokens =
    (request.maxTokens ?? defaultMaxTokens ?? DEFAULT_OUTPUT_ESTIMATE) * (request.n ?? 1);
  const price = priceOf(model);
  const cost = price ? (promptTokens * price.input + completionTokens * price.output) / 1_000_000 : undefined;
  return { promptTokens, completionTokens, cost };
}
