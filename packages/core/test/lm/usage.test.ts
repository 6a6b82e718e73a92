import { describe, expect, it } from 'vitest';
import {
  callLM,
  isDspyError,
  type LanguageModel,
  type LMRequest,
  type LMResponse,
  registerPrices,
  trackUsage,
} from '../../src/index.js';
import { costOf, currentUsage, priceOf } from '../../src/internal.js';

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
    expect(isDspyError(reason, 'OPTIMIZER_BUDGET')).toBe(true);
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

  it('maxTokens and maxCost stop the calls once reached; an outer budget applies inside an inner tracker', async () => {
    const lm = new CountingLM();
    const tokens = trackUsage(
      async () => {
        for (let i = 0; i < 10; i++) await callLM(lm, req());
      },
      { maxTokens: 30 },
    );
    await expect(tokens).rejects.toMatchObject({ code: 'OPTIMIZER_BUDGET' });
    expect(lm.calls).toBe(2);
    const cost = trackUsage(
      () =>
        trackUsage(async () => {
          for (let i = 0; i < 10; i++) await callLM(lm, req());
        }),
      { maxCost: 1e-8 },
    );
    await expect(cost).rejects.toMatchObject({ code: 'OPTIMIZER_BUDGET' });
    expect(lm.calls).toBe(3);
  });
});
