// Core loads @opentelemetry/api only once something registered with it: before that, an
// instrumented call makes no span and loads nothing; the first call after an SDK registered
// waits for the API and is traced.
import { describe, expect, it } from 'vitest';
import { otelApi } from '../../src/telemetry/otel.js';
import { traced } from '../../src/telemetry/span.js';

const REGISTRY = Symbol.for('opentelemetry.js.api.1');

describe('the OpenTelemetry API, loaded on demand', () => {
  it('is not loaded while nothing is registered, and the first call after an SDK registered is traced', async () => {
    expect((globalThis as Record<symbol, unknown>)[REGISTRY]).toBeUndefined();
    let started = 0;
    const start = () => {
      started++;
      return { name: 'dspy.test' };
    };
    expect(await traced(start, async () => 'plain')).toBe('plain');
    expect(started).toBe(0);
    expect(otelApi()).toBeUndefined();

    // The test's SDK imports the API itself and registers a tracer provider in its global registry.
    const { recordTelemetry } = await import('./sdk.js');
    const recorded = recordTelemetry();
    try {
      expect(otelApi()).toBeUndefined();
      expect(await traced(start, async () => 'traced')).toBe('traced');
      expect(started).toBe(1);
      expect(otelApi()).toBeDefined();
      expect(recorded.span('dspy.test').name).toBe('dspy.test');
    } finally {
      await recorded.close();
    }
  });
});
