import { describe, expect, it } from 'vitest';
import {
  callLM,
  type DspyError,
  isDspyError,
  type LanguageModel,
  type LMRequest,
  type LMResponse,
  MemoryBudgetLedger,
  registerPrices,
  trackUsage,
} from '../../src/index.js';
import { costOf, currentUsage, estimateCall, priceOf } from '../../src/internal.js';

/** A custom backend: 10 prompt + 5 completion tokens per call; cache hits when asked. */
class CountingLM implements LanguageModel {
  calls = 0;
  constructor(readonly model = 'openai/gpt-4o-mini') {}
  async call(req: LMRequest): Promise<LMResponse> {
    this.calls += 1;
    const hit = req.rolloutId === 'hit';
    return {
      text: 'ok',
      choices: ['ok'],
      usage: hit
        ? { promptTokens: 0, completionTokens: 0, totalTokens: 0 }
        : { promptTokens: 10, completionTokens: 5, totalTokens: 15 },
      model: this.model,
      finishReason: 'stop',
      cacheHit: hit,
    };
  }
}

const req = (rolloutId?: string): LMRequest => ({ messages: [{ role: 'user', content: 'q' }], rolloutId });

describe('prices', () => {
  it('knows common models, dated snapshots and local providers, and can be extended', () => {
    expect(priceOf('openai/gpt-4o-mini')).toEqual({ input: 0.15, output: 0.6 });
    expect(priceOf('openai/gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
    expect(priceOf('openrouter/openai/gpt-4o-mini')).toEqual({ input: 0.15, output: 0.6 });
    expect(priceOf('ollama/llama3.2')).toEqual({ input: 0, output: 0 });
    expect(priceOf('acme/unknown')).toBeUndefined();
    registerPrices({ 'acme/unknown': { input: 1, output: 2 } });
    expect(
      costOf('acme/unknown', { promptTokens: 1_000_000, completionTokens: 500_000, totalTokens: 0 }),
    ).toBe(2);
  });
});

describe('trackUsage', () => {
  it('sums tokens and cost of calls through callLM; cache hits count zero tokens and zero cost', async () => {
    const lm = new CountingLM();
    const { result, usage } = await trackUsage(async () => {
      await callLM(lm, req());
      await callLM(lm, req('hit'));
      return callLM(lm, req());
    });
    expect(result.cost).toBeCloseTo((10 * 0.15 + 5 * 0.6) / 1e6, 12);
    expect(usage).toMatchObject({
      calls: 3,
      cacheHits: 1,
      promptTokens: 20,
      completionTokens: 10,
      totalTokens: 30,
    });
    expect(usage.cost).toBeCloseTo((2 * (10 * 0.15 + 5 * 0.6)) / 1e6, 12);
  });

  it('nested trackers all see the calls', async () => {
    const lm = new CountingLM();
    const outer = await trackUsage(async () => {
      await callLM(lm, req());
      const inner = await trackUsage(() => callLM(lm, req()));
      expect(inner.usage.calls).toBe(1);
      expect(currentUsage()?.calls).toBe(2);
      return inner;
    });
    expect(outer.usage.calls).toBe(2);
    expect(outer.usage.totalTokens).toBe(30);
  });

  it('concurrent trackers stay apart', async () => {
    const lm = new CountingLM();
    const [a, b] = await Promise.all([
      trackUsage(async () => {
        for (let i = 0; i < 3; i++) await callLM(lm, req());
      }),
      trackUsage(async () => {
        await callLM(lm, req());
      }),
    ]);
    expect(a.usage.calls).toBe(3);
    expect(b.usage.calls).toBe(1);
  });

  it('maxLMCalls refuses the call over budget BEFORE making it, even when calls run concurrently', async () => {
    const lm = new CountingLM();
    const { result } = await trackUsage(
      () => Promise.allSettled(Array.from({ length: 8 }, () => callLM(lm, req()))),
      { maxLMCalls: 5 },
    );
    expect(lm.calls).toBe(5);
    const rejected = result.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(3);
    const reason = (rejected[0] as PromiseRejectedResult).reason;
    expect(isDspyError(reason, 'BUDGET_EXHAUSTED')).toBe(true);
    expect(String(reason.message)).toContain('maxLMCalls');
  });

  it('cache hits do not use up maxLMCalls', async () => {
    const lm = new CountingLM();
    const { usage } = await trackUsage(
      async () => {
        for (let i = 0; i < 5; i++) await callLM(lm, req('hit'));
        await callLM(lm, req());
      },
      { maxLMCalls: 1 },
    );
    expect(usage).toMatchObject({ calls: 6, cacheHits: 5 });
  });

  it('maxTokens and maxCost refuse the call whose estimate would pass them; an outer budget applies inside an inner tracker', async () => {
    const lm = new CountingLM();
    // Each call is estimated at 4 + 1 prompt tokens + maxTokens 10 = 15 and really spends 15.
    const capped = (rolloutId?: string): LMRequest => ({ ...req(rolloutId), maxTokens: 10 });
    const tokens = trackUsage(
      async () => {
        for (let i = 0; i < 10; i++) await callLM(lm, capped());
      },
      { maxTokens: 40 },
    );
    const refused = await tokens.catch((e: unknown) => e);
    expect(isDspyError(refused, 'BUDGET_EXHAUSTED')).toBe(true);
    expect(lm.calls).toBe(2);
    expect((refused as DspyError).details).toMatchObject({
      limit: 'maxTokens',
      cap: 40,
      spent: { tokens: 30 },
    });
    expect((refused as DspyError).message).toContain('spent 30');
    const perCall = (5 * 0.15 + 10 * 0.6) / 1e6;
    const cost = trackUsage(
      () =>
        trackUsage(async () => {
          for (let i = 0; i < 10; i++) await callLM(lm, capped());
        }),
      { maxCost: 2.5 * perCall },
    );
    await expect(cost).rejects.toMatchObject({ code: 'BUDGET_EXHAUSTED' });
    // Calls really spend 4.5e-6 each (10 + 5 tokens): after 3 calls, 1.35e-5 + the 6.75e-6 estimate passes the cap.
    expect(lm.calls).toBe(5);
  });

  it('without maxTokens a call is estimated at 1,000 completion tokens', async () => {
    const lm = new CountingLM();
    const small = trackUsage(() => callLM(lm, req()), { maxTokens: 1000 });
    await expect(small).rejects.toMatchObject({ code: 'BUDGET_EXHAUSTED' });
    expect(lm.calls).toBe(0);
    const { usage } = await trackUsage(() => callLM(lm, req()), { maxTokens: 1005 });
    expect(usage.totalTokens).toBe(15);
    expect(estimateCall('openai/gpt-4o-mini', req())).toEqual({
      promptTokens: 5,
      completionTokens: 1000,
      cost: (5 * 0.15 + 1000 * 0.6) / 1e6,
    });
  });

  it('a call the cache answers is never refused, even once the budget is spent', async () => {
    const lm = new CountingLM();
    const cachedLM: LanguageModel = {
      model: lm.model,
      call: (r) => lm.call(r),
      cached: async (r) => r.rolloutId === 'hit',
    };
    const { usage } = await trackUsage(
      async () => {
        await callLM(cachedLM, { ...req(), maxTokens: 10 });
        const refused = await callLM(cachedLM, { ...req(), maxTokens: 10 }).catch((e: unknown) => e);
        expect(isDspyError(refused, 'BUDGET_EXHAUSTED')).toBe(true);
        for (let i = 0; i < 3; i++) await callLM(cachedLM, { ...req('hit'), maxTokens: 10 });
      },
      { maxTokens: 20, maxLMCalls: 1 },
    );
    expect(usage).toMatchObject({ calls: 4, cacheHits: 3, totalTokens: 15 });
    expect(lm.calls).toBe(4);
  });

  it('a cached call does not wait for the calls under way that fill the budget', async () => {
    let finish: () => void = () => undefined;
    const slow = new Promise<void>((r) => {
      finish = r;
    });
    const counting = new CountingLM();
    const lm: LanguageModel = {
      model: counting.model,
      call: async (r) => {
        if (r.rolloutId !== 'hit') await slow;
        return counting.call(r);
      },
      cached: async (r) => r.rolloutId === 'hit',
    };
    const order: string[] = [];
    await trackUsage(
      async () => {
        const a = callLM(lm, { ...req(), maxTokens: 10 }).then(() => order.push('slow'));
        await callLM(lm, { ...req('hit'), maxTokens: 10 }).then(() => order.push('cached'));
        finish();
        await a;
      },
      { maxLMCalls: 1 },
    );
    expect(order).toEqual(['cached', 'slow']);
  });

  it('a model without a price is estimated at its dearest call so far', async () => {
    const scripted = new CountingLM('acme/unpriced');
    const lm: LanguageModel = {
      model: 'acme/unpriced',
      call: async (r) => ({ ...(await scripted.call(r)), cost: 0.01 }),
    };
    const run = trackUsage(
      async () => {
        for (let i = 0; i < 10; i++) await callLM(lm, req());
      },
      { maxCost: 0.035 },
    );
    await expect(run).rejects.toMatchObject({ code: 'BUDGET_EXHAUSTED', details: { limit: 'maxCost' } });
    expect(scripted.calls).toBe(3);
  });

  it('concurrent calls reserve their estimates, so together they cannot pass the cap', async () => {
    const lm = new CountingLM();
    const ledger = new MemoryBudgetLedger();
    const { result } = await trackUsage(
      () => Promise.allSettled(Array.from({ length: 8 }, () => callLM(lm, { ...req(), maxTokens: 10 }))),
      { maxTokens: 50, ledger },
    );
    expect(result.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(lm.calls).toBe(3);
    expect(await ledger.spent()).toEqual({ calls: 3, tokens: 45, cost: expect.any(Number) });
  });

  it('refuses a cap that is not a number ≥ 0, and a ledger without a cap', async () => {
    await expect(trackUsage(() => 1, { maxCost: -1 })).rejects.toMatchObject({ code: 'OPTION_INVALID' });
    await expect(trackUsage(() => 1, { maxTokens: 1.5 })).rejects.toThrow(/maxTokens/);
    await expect(trackUsage(() => 1, { ledger: new MemoryBudgetLedger() })).rejects.toThrow(/without a cap/);
  });

  it('a failed call gives its reservation back', async () => {
    let fail = true;
    const lm: LanguageModel = {
      model: 'openai/gpt-4o-mini',
      call: async (r) => {
        if (fail) {
          fail = false;
          throw new Error('boom');
        }
        return new CountingLM().call(r);
      },
    };
    const { usage } = await trackUsage(
      async () => {
        await callLM(lm, { ...req(), maxTokens: 10 }).catch(() => undefined);
        await callLM(lm, { ...req(), maxTokens: 10 });
      },
      { maxLMCalls: 1 },
    );
    expect(usage.calls).toBe(1);
  });
});
