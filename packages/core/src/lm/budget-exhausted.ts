import { DspyError } from '../errors.js';
import type { BudgetAmount, BudgetCaps, BudgetReservation } from './budget.js';

// The words of a refused call (loaded with the budget half of usage tracking).

/** Formats US dollars for messages: `$2.50`, `$0.0031`. */
export function formatDollars(v: number): string {
  if (v === 0) return '$0';
  if (Math.abs(v) >= 0.1) return `$${v.toFixed(2)}`;
  return `$${v.toPrecision(2).replace(/0+$/, '').replace(/\.$/, '')}`;
}

function show(limit: keyof BudgetCaps, v: number): string {
  if (limit === 'maxCost') return formatDollars(v);
  return v.toLocaleString('en-US');
}

const FLAG: Record<keyof BudgetCaps, string> = {
  maxLMCalls: 'maxLMCalls',
  maxTokens: 'maxTokens (--max-tokens)',
  maxCost: 'maxCost (--max-cost)',
};

const FIELD: Record<keyof BudgetCaps, keyof BudgetAmount> = {
  maxLMCalls: 'calls',
  maxTokens: 'tokens',
  maxCost: 'cost',
};

/** The `BUDGET_EXHAUSTED` error of a refused call: what was spent, the cap, and how to go on. */
export function budgetExhausted(
  refusal: Extract<BudgetReservation, { granted: false }>,
  caps: BudgetCaps,
  estimate: BudgetAmount,
  model: string,
): DspyError {
  const { limit, spent, reserved } = refusal;
  const field = FIELD[limit];
  const cap = caps[limit] as number;
  const under = reserved[field] > 0 ? ` (+ ${show(limit, reserved[field])} held by calls under way)` : '';
  const next =
    limit === 'maxLMCalls'
      ? ''
      : `; the next call to ${model} was estimated at ${show(limit, estimate[field])}`;
  return new DspyError(
    'BUDGET_EXHAUSTED',
    `LM budget exhausted: ${limit} ${show(limit, cap)}, spent ${show(limit, spent[field])}${under}${next}. The call was not made.`,
    {
      details: {
        where: 'trackUsage / evaluate / compile budget',
        limit,
        cap,
        spent: { ...spent },
        reserved: { ...reserved },
        estimate: { ...estimate },
        model,
        fix: `Raise ${FLAG[limit]} and run again: a compile with a checkpoint resumes with { resume: true } (--resume), keeping every finished step; cached calls cost nothing.`,
      },
    },
  );
}
