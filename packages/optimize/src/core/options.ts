import type { EvaluationRunner, Metric, MetricRange } from '@dspy-ts/core';
import type { BudgetOptions } from './budget.js';

/** Options every optimizer accepts (DSPy's names in camelCase, plus budgets and reporting). */
export interface OptimizerOptions extends BudgetOptions {
  /** Scores a prediction against its example: number (0..1), boolean, or `{ score, feedback }`. */
  readonly metric?: Metric;
  /**
   * The range the metric's numbers are in, e.g. `[0, 10]`; they are rescaled to [0, 1]. Without
   * it a number outside [0, 1] is a `METRIC_ERROR`. Booleans are always 1 / 0.
   */
  readonly metricRange?: MetricRange;
  /** Seed of every random choice (default 0). */
  readonly seed?: number;
  /** Concurrent evaluations (default: settings `numThreads`, else 8). */
  readonly numThreads?: number;
  /** Program errors tolerated per evaluation / bootstrap (default: settings `maxErrors`, else 10). */
  readonly maxErrors?: number;
  /**
   * Where candidate evaluations run (default: this process). `new QueueRunner({ connection })` of
   * `@dspy-ts/distributed` spreads them over its workers; bootstrapping stays in this process.
   */
  readonly runner?: EvaluationRunner;
  /** Check the metric on trainset[0] against its own labels before any LM call (default true). */
  readonly probeMetric?: boolean;
  /** Progress bar on stderr (default: when stderr is a terminal). */
  readonly progress?: boolean;
  /**
   * Put `createdAt` into the artifact's provenance (default false, so the same seed, data and
   * cached LM give a byte-identical artifact).
   */
  readonly timestamp?: boolean;
  /**
   * Ctrl-C (SIGINT) stops the run cleanly (`ABORTED`, checkpoint flushed) instead of killing the
   * process; a second Ctrl-C kills it. Default: on when a `checkpoint` is given.
   */
  readonly handleSigint?: boolean;
}

/**
 * A value on the metric's declared scale (`metricRange`), such as `metricThreshold` or
 * `perfectScore`, as a [0, 1] score: metric results are rescaled the same way.
 */
export function scaleToUnit(value: number, range: MetricRange | undefined): number {
  if (!range) return value;
  const [min, max] = range;
  return (value - min) / (max - min);
}

/** The options of an optimizer as plain JSON for reports and provenance (functions by name). */
export function describeOptions(options: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options).sort(([a], [b]) => a.localeCompare(b))) {
    out[k] = describeValue(v);
  }
  return out;
}

function describeValue(v: unknown): unknown {
  if (v === undefined) return undefined;
  if (typeof v === 'function') return `<function ${v.name || 'anonymous'}>`;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(describeValue);
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return `<${(v as object).constructor?.name ?? 'object'}>`;
  return describeOptions(v);
}
