/**
 * Access to the OpenTelemetry tracer and meter of `@dspy-ts/core`, through `@opentelemetry/api`
 * only. Until an application registers an SDK, both are absent and every helper of this folder
 * runs its function directly: no span object, no context switch, no attribute is made.
 */
import {
  createNoopMeter,
  type Meter,
  metrics,
  ProxyTracerProvider,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';

/** The instrumentation scope name of every span and metric of dspy-ts. */
export const SCOPE = '@dspy-ts/core';

/** The provider the API's proxy delegates to while no SDK is registered. */
const NOOP_TRACER_PROVIDER: TracerProvider = new ProxyTracerProvider().getDelegate();
const NOOP_METER: Meter = createNoopMeter();

let bypass = false;
let tracerFor: TracerProvider | undefined;
let tracer: Tracer | undefined;

/**
 * Turns every instrumentation helper into a plain call of its function (`true`), or back
 * (`false`). Only the benchmark uses it, to measure the library without instrumentation.
 * @internal
 */
export function setTelemetryBypass(on: boolean): void {
  bypass = on;
}

/** The tracer of dspy-ts, or undefined when no tracer provider is registered (nothing would be recorded). */
export function activeTracer(): Tracer | undefined {
  if (bypass) return undefined;
  const global = trace.getTracerProvider();
  const provider = global instanceof ProxyTracerProvider ? global.getDelegate() : global;
  if (provider === NOOP_TRACER_PROVIDER) return undefined;
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
  if (bypass) return undefined;
  const provider = metrics.getMeterProvider();
  if (provider !== meterFor) {
    meterFor = provider;
    const m = provider.getMeter(SCOPE);
    meter = m === NOOP_METER ? undefined : m;
  }
  return meter;
}
