import type { Example } from '../data/example.js';
import type { Prediction } from '../data/prediction.js';
import { DspyError } from '../errors.js';
import type { TraceEntry } from '../modules/types.js';

/** What a metric may return: a number (0..1), a boolean, or a score with textual feedback. */
export type MetricResult =
  | number
  | boolean
  | { readonly score: number | boolean; readonly feedback?: string };

/**
 * Scores one prediction against its example. May be async. `trace` holds the predictor calls of
 * the run when an optimizer is bootstrapping (undefined during plain evaluation). `E` and `P`
 * are the example and prediction types; pass the metric inline to `evaluate` to have them inferred.
 *
 * @example
 * ```ts
 * const metric: Metric = (ex, pred) => pred.answer === ex.answer;
 * ```
 */
export type Metric<E = Example, P = Prediction> = (
  example: E,
  prediction: P,
  trace?: readonly TraceEntry[],
) => MetricResult | Promise<MetricResult>;

/** A metric result as a number plus optional feedback. */
export interface NormalizedMetricResult {
  readonly score: number;
  readonly feedback?: string;
}

/**
 * Turns any {@link MetricResult} into `{ score, feedback? }`; throws `METRIC_ERROR` for NaN or
 * anything that is not a number, boolean or `{ score }`.
 */
export function normalizeMetricResult(value: unknown, where = 'metric'): NormalizedMetricResult {
  if (typeof value === 'boolean') return { score: value ? 1 : 0 };
  if (typeof value === 'number') return { score: checkNumber(value, where) };
  if (value && typeof value === 'object' && 'score' in value) {
    const { score, feedback } = value as { score: unknown; feedback?: unknown };
    const inner = normalizeMetricResult(score, where);
    if (feedback === undefined || feedback === null) return inner;
    return {
      score: inner.score,
      feedback: typeof feedback === 'string' ? feedback : JSON.stringify(feedback),
    };
  }
  throw new DspyError('METRIC_ERROR', `${where} returned ${describe(value)}, not a score.`, {
    details: { where, fix: 'Return a number (0..1), a boolean, or { score, feedback? } from the metric.' },
  });
}

function checkNumber(n: number, where: string): number {
  if (Number.isFinite(n)) return n;
  throw new DspyError('METRIC_ERROR', `${where} returned ${String(n)}, not a finite number.`, {
    details: { where, fix: 'Make the metric return a finite number; guard divisions by zero.' },
  });
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value)?.slice(0, 80) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The name of a metric for reports and provenance (`exactMatch`, or `anonymous metric`). */
export function metricName(metric: (...args: never[]) => unknown): string {
  return metric.name || 'anonymous metric';
}
