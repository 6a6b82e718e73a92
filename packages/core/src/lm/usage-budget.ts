/**
 * The budget half of {@link trackUsage}: reserving each call against the caps in scope, waiting
 * for calls under way, refusing with `BUDGET_EXHAUSTED`. Loaded by the first `trackUsage` with
 * a cap: calls outside a capped scope never load it. @internal
 */
import type { BudgetAmount, BudgetReservation, MemoryBudgetLedger } from './budget.js';
import { budgetExhausted } from './budget-exhausted.js';
import {
  type ActiveBudget,
  type BudgetKit,
  type PlannedCall,
  plainTicket,
  type Tracker,
  type UsageSource,
  type UsageTicket,
} from './usage.js';

/** Reserves one call in every tracker of `chain` (some capped); see `reserveUsage`. */
export function reserve(
  chain: readonly Tracker[],
  call: PlannedCall | undefined,
): UsageTicket | Promise<UsageTicket> {
  return reserveInMemory(chain, call) ?? reserveCapped(chain, call);
}

/** The budget module's pieces, from a capped tracker of `chain` (one always is). */
function kitOf(chain: readonly Tracker[]): BudgetKit {
  return chain.find((t) => t.kit)?.kit as BudgetKit;
}

function amountOf(kit: BudgetKit, r: UsageSource): BudgetAmount {
  if (r.cacheHit) return kit.ZERO_AMOUNT;
  return { calls: 1, tokens: r.usage.totalTokens, cost: r.cost ?? 0 };
}

/**
 * The common case done without a single await: every cap in scope kept in this process
 * (`MemoryBudgetLedger`) and the call fits under all of them. Undefined otherwise (the call then
 * goes the general way: it may wait for calls under way, be let through by the cache, or be refused).
 */
function reserveInMemory(chain: readonly Tracker[], call: PlannedCall | undefined): UsageTicket | undefined {
  const capped = chain.filter((t) => t.budget);
  const kit = kitOf(chain);
  if (!capped.every((t) => t.budget?.ledger instanceof kit.MemoryBudgetLedger)) return undefined;
  const model = call?.model ?? 'model';
  const raw = call?.estimate(kit.estimateCall) ?? { tokens: 0, cost: 0 };
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
      const actual = amountOf(kit, response);
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
  const kit = kitOf(chain);
  const model = call?.model ?? 'model';
  const raw = call?.estimate(kit.estimateCall) ?? { tokens: 0, cost: 0 };
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
      const actual = amountOf(kit, response);
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
