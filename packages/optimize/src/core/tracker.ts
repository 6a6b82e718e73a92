import { type Callback, currentSettings, type LMResponse, withSettings } from '@dspy-ts/core';
import type { Spend } from './budget.js';

/**
 * Counts the LM spend of everything run inside {@link SpendTracker.run} from the `lmEnd`
 * callback events (cache hits count as no call and no tokens).
 */
export class SpendTracker {
  #spend: Spend = { lmCalls: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0, cost: 0 };
  readonly #callback: Callback = {
    onLmEnd: (event) => {
      const res = event.response as Partial<LMResponse> | undefined;
      if (!res || res.cacheHit) return;
      const u = res.usage;
      this.#spend = {
        lmCalls: this.#spend.lmCalls + 1,
        promptTokens: this.#spend.promptTokens + (u?.promptTokens ?? 0),
        completionTokens: this.#spend.completionTokens + (u?.completionTokens ?? 0),
        totalTokens: this.#spend.totalTokens + (u?.totalTokens ?? 0),
        cost: this.#spend.cost + (res.cost ?? 0),
      };
    },
  };

  /** Runs `fn` with this tracker listening. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const callbacks = [...(currentSettings().callbacks ?? []), this.#callback];
    return withSettings({ callbacks }, fn);
  }

  /** The spend so far. */
  snapshot(): Spend {
    return this.#spend;
  }
}
