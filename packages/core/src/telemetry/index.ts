/** OpenTelemetry spans and metrics of dspy-ts, through `@opentelemetry/api` (no-op until an SDK is registered). */
export { type LMStreamObservation, observeLMStream, tracedLMCall } from './lm.js';
export { otelPending as telemetryReady } from './otel.js';
export { activeMeter, activeTracer, SCOPE, setTelemetryBypass } from './provider.js';
export { recordFailure, type SpanStart, traced } from './span.js';
export {
  type TracedPredictor,
  tracedCompile,
  tracedEvaluate,
  tracedExample,
  tracedModule,
  tracedPredict,
  tracedTool,
  tracedTrial,
} from './spans.js';
