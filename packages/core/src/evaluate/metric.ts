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

/** The range a metric's numbers are declared in; `[0, 1]` unless a `metricRange` says otherwise. */
export type MetricRange = readonly [min: number, max: number];

const UNIT_RANGE: MetricRange = [0, 1];

/** True when `value` is a usable {@link MetricRange}: `[min, max]` with finite `min < max`. */
export function isMetricRange(value: unknown): value is MetricRange {
  if (!Array.isArray(value) || value.length !== 2) return false;
  const [min, max] = value as unknown[];
  return Number.isFinite(min) && Number.isFinite(max) && (min as number) < (max as number);
}

/**
 * Turns any {@link MetricResult} into `{ score, feedback? }` with the score in [0, 1]; throws
 * `METRIC_ERROR` for NaN, infinities, a number outside `range` (default [0, 1]), and anything
 * that is not a number, boolean or `{ score }`. A number in a declared `range` other than
 * [0, 1] is rescaled to [0, 1]; booleans are 1 and 0 whatever the range.
 *
 * @example
 * ```ts
 * normalizeMetricResult(7, 'metric', [0, 10]); // { score: 0.7 }
 * ```
 */
export function normalizeMetricResult(
  value: unknown,
  where = 'metric',
  range: MetricRange = UNIT_RANGE,
): NormalizedMetricResult {
  if (typeof value === 'boolean') return { score: value ? 1 : 0 };
  if (typeof value === 'number') return { score: checkNumber(value, where, range) };
  if (value && typeof value === 'object' && 'score' in value) {
    const { score, feedback } = value as { score: unknown; feedback?: unknown };
    const inner = normalizeMetricResult(score, where, range);
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

function checkNumber(n: number, where: string, range: MetricRange): number {
  if (!Number.isFinite(n)) {
    throw new DspyError('METRIC_ERROR', `${where} returned ${String(n)}, not a finite number.`, {
      details: { where, fix: 'Make the metric return a finite number; guard divisions by zero.' },
    });
  }
  const [min, max] = range;
  if (n < min || n > max) {
    const unit = min === 0 && max === 1;
    throw new DspyError('METRIC_ERROR', `${where} returned ${n}, outside [${min}, ${max}].`, {
      details: {
        where,
        value: n,
        range: [min, max],
        fix: unit
          ? 'Return a score in [0, 1], or declare the range the metric uses with the metricRange option (e.g. metricRange: [0, 10]).'
          : `Return scores within the declared metricRange [${min}, ${max}], or widen it.`,
      },
    });
  }
  return min === 0 && max === 1 ? n : (n - min) / (max - min);
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
