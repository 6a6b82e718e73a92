/**
 * One-line helpers the instrumented call sites use: each runs its function in the span of one
 * kind of step (module, predictor, tool, evaluate run and example, compile and trial).
 */
import type { ContextAPI } from '@opentelemetry/api';
import { otelApi, otelPending } from './otel.js';
import { activeTracer } from './provider.js';
import { contentText, recordFailure, recordsContent, SPAN_KIND_INTERNAL, traced } from './span.js';

/** The context key of the module whose `forward` runs (made once the API is loaded). */
let moduleKey: symbol | undefined;

/**
 * Runs a module's `forward` in a `dspy.module <name>` span. A `forward` reached again for the
 * same module inside it (a subclass calling `super.forward()`) gets no second span.
 */
export function tracedModule<T>(module: object, name: () => string, fn: () => Promise<T>): Promise<T> {
  const pending = otelPending();
  if (pending) return pending.then(() => tracedModule(module, name, fn));
  const api = otelApi();
  if (!api || !activeTracer()) return fn();
  const context: ContextAPI = api.context;
  moduleKey ??= api.createContextKey('dspy-ts.module');
  const key = moduleKey;
  if (context.active().getValue(key) === module) return fn();
  return traced(
    () => {
      const described = name();
      return {
        name: `dspy.module ${described}`,
        attributes: { 'dspy.module.name': described, 'dspy.module.class': module.constructor.name },
      };
    },
    () => context.with(context.active().setValue(key, module), fn),
  );
}

/** What {@link tracedPredict} reads of a predictor. */
export interface TracedPredictor {
  describe(): string;
  readonly signature: { readonly name: string };
  readonly demos: readonly unknown[];
}

/** Runs one predictor call in a `dspy.predict <Predict(Sig)>` span (inputs and outputs only when opted in). */
export function tracedPredict<T>(
  predictor: TracedPredictor,
  inputs: unknown,
  fn: () => Promise<T>,
): Promise<T> {
  return traced(
    () => {
      const name = predictor.describe();
      return {
        name: `dspy.predict ${name}`,
        attributes: {
          'dspy.module.name': name,
          'dspy.signature.name': predictor.signature.name,
          'dspy.predict.demos': predictor.demos.length,
          ...(recordsContent() ? { 'dspy.predict.inputs': contentText(inputs) } : {}),
        },
      };
    },
    fn,
    (span, prediction) => {
      if (recordsContent()) span.setAttribute('dspy.predict.outputs', contentText(prediction));
    },
  );
}

/**
 * Runs one tool call in an `execute_tool <name>` span (`gen_ai.tool.name`, the call id when the
 * model gave one; arguments and result only when opted in).
 */
export function tracedTool<T>(
  name: string,
  callId: string | undefined,
  args: unknown,
  fn: () => Promise<T>,
): Promise<T> {
  return traced(
    () => ({
      name: `execute_tool ${name}`,
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': name,
        ...(callId ? { 'gen_ai.tool.call.id': callId } : {}),
        ...(recordsContent() ? { 'gen_ai.tool.call.arguments': contentText(args) } : {}),
      },
    }),
    fn,
    (span, result) => {
      if (recordsContent()) span.setAttribute('gen_ai.tool.call.result', contentText(result));
    },
  );
}

/** Runs an `evaluate` in a `dspy.evaluate <program>` span; its mean score (0..100) is set at the end. */
export function tracedEvaluate<T extends { readonly score: number; readonly interrupted?: boolean }>(
  program: string,
  size: number,
  fn: () => Promise<T>,
): Promise<T> {
  return traced(
    () => ({
      name: `dspy.evaluate ${program}`,
      attributes: { 'dspy.evaluate.program': program, 'dspy.evaluate.size': size },
    }),
    fn,
    (span, report) => {
      span.setAttribute('dspy.evaluate.score', report.score);
      if (report.interrupted) span.setAttribute('dspy.evaluate.interrupted', true);
    },
  );
}

/**
 * Runs one example of an `evaluate` in a `dspy.evaluate.example` span; `outcome()` gives its
 * score (0..1) and, for a failed example, the error (the span's status is then ERROR).
 */
export function tracedExample(
  index: number,
  fn: () => Promise<void>,
  outcome: () => { readonly score: number; readonly error?: unknown } | undefined,
): Promise<void> {
  return traced(
    () => ({ name: 'dspy.evaluate.example', attributes: { 'dspy.example.index': index } }),
    fn,
    (span) => {
      const result = outcome();
      if (!result) return;
      span.setAttribute('dspy.example.score', result.score);
      if (result.error !== undefined) recordFailure(span, result.error);
    },
  );
}

/** Runs an optimizer's `compile` in a `dspy.compile <optimizer>` span; the best score is set at the end. */
export function tracedCompile<T>(
  optimizer: string,
  program: string,
  fn: () => Promise<T>,
  scoreOf: (value: T) => number | undefined,
): Promise<T> {
  return traced(
    () => ({
      name: `dspy.compile ${optimizer}`,
      attributes: { 'dspy.optimizer.name': optimizer, 'dspy.compile.program': program },
    }),
    fn,
    (span, value) => {
      const score = scoreOf(value);
      if (score !== undefined) span.setAttribute('dspy.compile.best_score', score);
    },
  );
}

/**
 * Runs one scored step of an optimizer's search (a candidate evaluated on a set) in a
 * `dspy.optimize.trial` span; its score (0..100) is set at the end.
 */
export function tracedTrial<T extends { readonly score: number }>(
  optimizer: string,
  trial: string,
  size: number,
  fn: () => Promise<T>,
): Promise<T> {
  return traced(
    () => ({
      name: 'dspy.optimize.trial',
      kind: SPAN_KIND_INTERNAL,
      attributes: { 'dspy.optimizer.name': optimizer, 'dspy.trial.key': trial, 'dspy.trial.size': size },
    }),
    fn,
    (span, outcome) => span.setAttribute('dspy.trial.score', outcome.score),
  );
}
