import type { BudgetLedger, UsageSummary } from '@dspy-ts/core';
import type { PhaseUsage } from './report.js';

/** Limits on what one compile run may spend; the run stops cleanly before a call over any of them. */
export interface BudgetOptions {
  /** LM calls that reach the model (cache hits are free). */
  readonly maxLMCalls?: number;
  /** Prompt + completion tokens. */
  readonly maxTokens?: number;
  /**
   * US dollars. Each call is checked before it is made against what the run spent plus the
   * call's estimate (prompt tokens from the rendered messages, the request's `maxTokens`, the
   * price table), so the run stops within one call's cost of the cap.
   */
  readonly maxCost?: number;
  /**
   * Where the running total is kept (default: the runner's shared ledger when `runner` has one,
   * so a distributed run's workers draw on the same budget; else this process).
   */
  readonly budgetLedger?: BudgetLedger;
}

/** Spend counters without wall time. */
export type Spend = Omit<PhaseUsage, 'wallMs'>;

/** A zero {@link Spend}. */
export const ZERO_SPEND: Spend = Object.freeze({
  lmCalls: 0,
  cacheHits: 0,
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  cost: 0,
});

/** The spend between two snapshots. */
export function spendDelta(after: Spend, before: Spend): Spend {
  return {
    lmCalls: after.lmCalls - before.lmCalls,
    cacheHits: after.cacheHits - before.cacheHits,
    promptTokens: after.promptTokens - before.promptTokens,
    completionTokens: after.completionTokens - before.completionTokens,
    totalTokens: after.totalTokens - before.totalTokens,
    cost: after.cost - before.cost,
  };
}

/** A {@link Spend} from core's usage summary (`lmCalls` counts only calls that reached the model). */
export function spendOf(u: UsageSummary): Spend {
  return {
    lmCalls: u.calls - u.cacheHits,
    cacheHits: u.cacheHits,
    promptTokens: u.promptTokens,
    completionTokens: u.completionTokens,
    totalTokens: u.totalTokens,
    cost: u.cost,
  };
}
