/**
 * OpenTelemetry spans and metrics of dspy-ts, through `@opentelemetry/api`. Until something
 * registers with the API (its global registry exists), every helper here runs its function as it
 * is and nothing else is loaded; then the next instrumented call loads the API and the
 * instrumentation (`instrumentation.ts`) once, and is traced.
 */
import type { LanguageModel, LMRequest, LMResponse } from '../lm/types.js';
import type { LMStreamObservation } from './lm.js';
import type { TracedPredictor } from './spans.js';

export type { LMStreamObservation, TracedPredictor };

type Instrumentation = typeof import('./instrumentation.js');

/** Where every copy of `@opentelemetry/api` 1.x keeps its registrations (see `otel.ts`). */
const REGISTRY = Symbol.for('opentelemetry.js.api.1');
let loaded: Instrumentation | undefined;
let loading: Promise<Instrumentation> | undefined;
let bypass = false;

/**
 * Turns every instrumentation helper into a plain call of its function (`true`), or back
 * (`false`). Only the benchmark uses it, to measure the library without instrumentation.
 * @internal
 */
export function setTelemetryBypass(on: boolean): void {
  bypass = on;
}

/** The instrumentation with the API loaded; a promise while they load; undefined while nothing is registered. */
function instrumentation(): Instrumentation | Promise<Instrumentation> | undefined {
  if (bypass) return undefined;
  if (loaded) return loaded;
  if ((globalThis as { [REGISTRY]?: unknown })[REGISTRY] === undefined) return undefined;
  loading ??= import('./instrumentation.js').then(
    async (m) => {
      await m.otelPending();
      loaded = m;
      return m;
    },
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

/** `fn` as it is while nothing is registered, else `use` of the loaded instrumentation. */
function instrumented<T>(fn: () => Promise<T>, use: (m: Instrumentation) => Promise<T>): Promise<T> {
  const m = instrumentation();
  if (m === undefined) return fn();
  return m instanceof Promise ? m.then(use) : use(m);
}

/**
 * A promise to wait for before {@link observeLMStream}: the API and the instrumentation, loading
 * because something registered with OpenTelemetry; undefined when there is nothing to wait for.
 */
export function telemetryReady(): Promise<void> | undefined {
  const m = instrumentation();
  return m instanceof Promise ? m.then(() => undefined) : undefined;
}

/** See `lm.ts`: the span and metrics of a streamed LM request (after {@link telemetryReady}). */
export function observeLMStream(lm: LanguageModel, request: LMRequest): LMStreamObservation | undefined {
  return bypass ? undefined : loaded?.observeLMStream(lm, request);
}

/** See `lm.ts`: one LM request in a `chat <model>` client span, with the LM metrics. */
export function tracedLMCall(
  lm: LanguageModel,
  request: LMRequest,
  call: () => Promise<LMResponse>,
): Promise<LMResponse> {
  return instrumented(call, (m) => m.tracedLMCall(lm, request, call));
}

/** See `spans.ts`: a module's `forward` in a `dspy.module <name>` span. */
export function tracedModule<T>(module: object, name: () => string, fn: () => Promise<T>): Promise<T> {
  return instrumented(fn, (m) => m.tracedModule(module, name, fn));
}

/** See `spans.ts`: one predictor call in a `dspy.predict <Predict(Sig)>` span. */
export function tracedPredict<T>(
  predictor: TracedPredictor,
  inputs: unknown,
  fn: () => Promise<T>,
): Promise<T> {
  return instrumented(fn, (m) => m.tracedPredict(predictor, inputs, fn));
}

/** See `spans.ts`: one tool call in an `execute_tool <name>` span. */
export function tracedTool<T>(
  name: string,
  callId: string | undefined,
  args: unknown,
  fn: () => Promise<T>,
): Promise<T> {
  return instrumented(fn, (m) => m.tracedTool(name, callId, args, fn));
}

/** See `spans.ts`: an `evaluate` in a `dspy.evaluate <program>` span. */
export function tracedEvaluate<T extends { readonly score: number; readonly interrupted?: boolean }>(
  program: string,
  size: number,
  fn: () => Promise<T>,
): Promise<T> {
  return instrumented(fn, (m) => m.tracedEvaluate(program, size, fn));
}

/** See `spans.ts`: one example of an `evaluate` in a `dspy.evaluate.example` span. */
export function tracedExample(
  index: number,
  fn: () => Promise<void>,
  outcome: () => { readonly score: number; readonly error?: unknown } | undefined,
): Promise<void> {
  return instrumented(fn, (m) => m.tracedExample(index, fn, outcome));
}

/** See `spans.ts`: an optimizer's `compile` in a `dspy.compile <optimizer>` span. */
export function tracedCompile<T>(
  optimizer: string,
  program: string,
  fn: () => Promise<T>,
  scoreOf: (value: T) => number | undefined,
): Promise<T> {
  return instrumented(fn, (m) => m.tracedCompile(optimizer, program, fn, scoreOf));
}

/** See `spans.ts`: one scored step of an optimizer's search in a `dspy.optimize.trial` span. */
export function tracedTrial<T extends { readonly score: number }>(
  optimizer: string,
  trial: string,
  size: number,
  fn: () => Promise<T>,
): Promise<T> {
  return instrumented(fn, (m) => m.tracedTrial(optimizer, trial, size, fn));
}
