/**
 * The instrumentation of dspy-ts (spans and metrics through `@opentelemetry/api`), loaded by
 * `index.ts` together with the API once something registered with OpenTelemetry: an app that
 * registers nothing never loads it. @internal
 */
export { type LMStreamObservation, observeLMStream, tracedLMCall } from './lm.js';
export { otelPending } from './otel.js';
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
