import { DspyError } from '../errors.js';
import type { TraceEntry } from '../modules/types.js';
import {
  type Metric,
  type MetricRange,
  metricName,
  type NormalizedMetricResult,
  normalizeMetricResult,
} from './metric.js';

/** How {@link scoreOne} checks a metric's result. */
export interface ScoreRules {
  /** The range the metric's numbers are declared in (rescaled to [0, 1]). */
  readonly range: MetricRange;
  /** Milliseconds an async metric may take (`Infinity`: no limit). */
  readonly timeoutMs: number;
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Scores one prediction; synchronous when the metric is (most are), so no promise is made for
 * it. Throws (or rejects with) `METRIC_ERROR` naming the example when the metric throws, returns
 * something that is not a score in its range, or does not settle within the timeout.
 */
export function scoreOne<E, P>(
  metric: Metric<E, P>,
  example: E,
  prediction: P,
  index: number,
  trace: readonly TraceEntry[] | undefined,
  rules: ScoreRules,
): NormalizedMetricResult | Promise<NormalizedMetricResult> {
  const where = `metric ${metricName(metric)} on devset[${index}]`;
  const failed = (err: unknown): DspyError => {
    // A DspyError from the metric (a built-in's missing field) keeps its own fix, said once.
    const inner = err instanceof DspyError ? err : undefined;
    const fix = inner?.details.fix ?? 'Fix the metric so it handles this prediction (it may lack fields).';
    const message = toError(err).message.replace(`\n  How to fix: ${fix}`, '');
    return new DspyError('METRIC_ERROR', `${where} threw: ${message}`, {
      cause: err,
      details: { ...inner?.details, where, index, fix },
    });
  };
  const check = (v: unknown): NormalizedMetricResult => {
    try {
      return normalizeMetricResult(v, where, rules.range);
    } catch (err) {
      const e = err as DspyError;
      throw new DspyError('METRIC_ERROR', e.message, { cause: e.cause, details: { ...e.details, index } });
    }
  };
  let value: unknown;
  try {
    value = metric(example, prediction, trace);
  } catch (err) {
    throw failed(err);
  }
  if (typeof (value as { then?: unknown } | null)?.then !== 'function') {
    return check(value);
  }
  const settled = Promise.resolve(value).then(
    (v: unknown) => check(v),
    (err: unknown) => {
      throw failed(err);
    },
  );
  return rules.timeoutMs === Number.POSITIVE_INFINITY
    ? settled
    : withTimeout(settled, rules.timeoutMs, where, index);
}

function withTimeout<T>(promise: Promise<T>, ms: number, where: string, index: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new DspyError('METRIC_ERROR', `${where} did not settle within ${ms} ms.`, {
          details: {
            where,
            index,
            timeoutMs: ms,
            fix: 'Make the metric resolve (give its own LM or network calls a timeout), or raise metricTimeoutMs.',
          },
        }),
      );
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
