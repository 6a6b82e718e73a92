import { renderChat } from '@dspy-ts/testing';
import type { DataPoint, Histogram, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LanguageModel, type LMResponse, Predict } from '../../src/index.js';
import { type Recorded, recordTelemetry } from './sdk.js';

let otel: Recorded;
beforeEach(() => {
  otel = recordTelemetry();
});
afterEach(async () => {
  await otel.close();
});

/** An LM that answers `answer: ok` with fixed usage and cost; every second answer is a cache hit. */
function countingLM(): LanguageModel {
  let calls = 0;
  const text = renderChat({ answer: 'ok' });
  return {
    model: 'acme/small',
    async call(): Promise<LMResponse> {
      calls += 1;
      const cacheHit = calls % 2 === 0;
      return {
        text,
        choices: [text],
        usage: cacheHit
          ? { promptTokens: 0, completionTokens: 0, totalTokens: 0 }
          : { promptTokens: 100, completionTokens: 7, totalTokens: 107 },
        model: 'small-2026',
        finishReason: 'stop',
        cacheHit,
        cost: cacheHit ? 0 : 0.25,
      };
    },
  };
}

type Point = DataPoint<number | Histogram>;

/** The data points of the metric `name` from the last collection. */
function points(all: ResourceMetrics[], name: string): Point[] {
  const last = all.at(-1);
  const metric = last?.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []) as Point[];
}

describe('LM metrics', () => {
  it('count requests, cache hits, tokens by type, cost and duration with the GenAI names', async () => {
    const qa = new Predict('question -> answer', { lm: countingLM() });
    for (let i = 0; i < 4; i++) await qa.forward({ question: `q${i}` });
    const all = await otel.metrics();

    const requests = points(all, 'dspy.lm.requests');
    const total = requests.reduce((n, p) => n + (p.value as number), 0);
    expect(total).toBe(4);
    expect(requests.find((p) => p.attributes['dspy.lm.cache_hit'] === true)?.value).toBe(2);
    expect(requests[0]?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'acme',
      'gen_ai.request.model': 'small',
      'gen_ai.response.model': 'small-2026',
    });
    expect(points(all, 'dspy.lm.cache_hits')[0]?.value).toBe(2);
    expect(points(all, 'dspy.lm.cost')[0]?.value).toBeCloseTo(0.5);

    const tokens = points(all, 'gen_ai.client.token.usage');
    const byType = Object.fromEntries(
      tokens.map((p) => [String(p.attributes['gen_ai.token.type']), (p.value as Histogram).sum]),
    );
    expect(byType).toEqual({ input: 200, output: 14 });

    const duration = points(all, 'gen_ai.client.operation.duration');
    expect((duration[0]?.value as Histogram | undefined)?.count).toBe(4);
  });

  it('count a failed request with its error.type', async () => {
    const broken: LanguageModel = { model: 'acme/small', call: () => Promise.reject(new Error('down')) };
    await expect(
      new Predict('question -> answer', { lm: broken }).forward({ question: 'q' }),
    ).rejects.toThrow();
    const requests = points(await otel.metrics(), 'dspy.lm.requests');
    expect(requests.map((p) => [p.attributes['error.type'], p.value])).toEqual([['LM_SERVER', 1]]);
  });
});
