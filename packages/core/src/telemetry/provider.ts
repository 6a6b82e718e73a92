/**
 * Access to the OpenTelemetry tracer and meter of `@dspy-ts/core`, through `@opentelemetry/api`
 * only (loaded once something registered with it: see `otel.ts`). Until an application registers
 * an SDK, both are absent and every helper of this folder runs its function directly: no span
 * object, no context switch, no attribute is made.
 */
import type { Meter, Tracer, TracerProvider } from '@opentelemetry/api';
import { otelApi } from './otel.js';

/** The instrumentation scope name of every span and metric of dspy-ts. */
export const SCOPE = '@dspy-ts/core';

/** The provider the API's proxy delegates to while no SDK is registered, and the no-op meter. */
let noop: { readonly tracerProvider: TracerProvider; readonly meter: Meter } | undefined;

let tracerFor: TracerProvider | undefined;
let tracer: Tracer | undefined;

/** The tracer of dspy-ts, or undefined when no tracer provider is registered (nothing would be recorded). */
export function activeTracer(): Tracer | undefined {
  const api = otelApi();
  if (!api) return undefined;
  noop ??= { tracerProvider: new api.ProxyTracerProvider().getDelegate(), meter: api.createNoopMeter() };
  const global = api.trace.getTracerProvider();
  const provider = global instanceof api.ProxyTracerProvider ? global.getDelegate() : global;
  if (provider === noop.tracerProvider) return undefined;
  if (provider !== tracerFor) {
    tracerFor = provider;
    tracer = provider.getTracer(SCOPE);
  }
  return tracer;
}

let meterFor: unknown;
let meter: Meter | undefined;

/** The meter of dspy-ts, or undefined when no meter provider is registered. */
export function activeMeter(): Meter | undefined {
  const api = otelApi();
  if (!api) return undefined;
  noop ??= { tracerProvider: new api.ProxyTracerProvider().getDelegate(), meter: api.createNoopMeter() };
  const provider = api.metrics.getMeterProvider();
  if (provider !== meterFor) {
    meterFor = provider;
    const m = provider.getMeter(SCOPE);
    meter = m === noop.meter ? undefined : m;
  }
  return meter;
}
