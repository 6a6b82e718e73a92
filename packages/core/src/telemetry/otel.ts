/**
 * `@opentelemetry/api`, loaded only once something registered with it. The API keeps every
 * registration (tracer, meter and context providers, the diagnostic logger) in one global object,
 * `globalThis[Symbol.for('opentelemetry.js.api.1')]`, shared by every copy of the API 1.x; until
 * that object exists nothing can be recorded, so core neither loads the API nor makes a span. Once
 * it exists, the next instrumented call waits for the API's module (once) and is traced.
 */
type OtelApi = typeof import('@opentelemetry/api');

const REGISTRY = Symbol.for('opentelemetry.js.api.1');
let api: OtelApi | undefined;
let loading: Promise<void> | undefined;

/** The OpenTelemetry API once loaded, else undefined (nothing is registered, or it is loading). @internal */
export function otelApi(): OtelApi | undefined {
  return api;
}

/**
 * A promise to wait for before tracing: the API's module, loading because a tracer, meter or
 * context provider has been registered since. `undefined` (nothing to wait for) when the API is
 * loaded or nothing is registered. @internal
 */
export function otelPending(): Promise<void> | undefined {
  if (api || (globalThis as { [REGISTRY]?: unknown })[REGISTRY] === undefined) return undefined;
  loading ??= import('@opentelemetry/api').then((m) => {
    api = m;
  });
  return loading;
}
