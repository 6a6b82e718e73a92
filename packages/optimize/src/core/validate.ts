import {
  DspyError,
  type Metric,
  type MetricRange,
  type MetricResult,
  type NormalizedMetricResult,
  normalizeMetricResult,
  Prediction,
  type Predictor,
  validateExamples,
} from '@dspy-ts/core';
import { isMetricRange } from '@dspy-ts/core/internal';
import { asExample, type TrainExample, type TrainMetric } from './program.js';

/**
 * Checks a dataset before any LM call: not empty, every item an `Example` with input keys
 * (`withInputs`), every input key present, the same input keys throughout, and (when the
 * program has one predictor) every required input of its signature among them; then every
 * value against its field's schema. Throws `OPTIMIZER_INVALID` naming the first bad item and
 * how to fix it, or `DATASET_INVALID` listing every value that does not fit its field.
 */
export function validateDataset(
  data: readonly TrainExample[] | undefined,
  name: 'trainset' | 'valset',
  optimizer: string,
  predictors: readonly (readonly [string, Predictor])[],
): void {
  const where = `${optimizer}.compile(${name})`;
  if (!Array.isArray(data) || data.length === 0) {
    throw invalid(`${optimizer}: the ${name} is empty.`, where, `Pass at least one Example in ${name}.`);
  }
  const first = data[0] as TrainExample;
  const firstKeys = inputKeysOf(first, 0, name, where);
  data.forEach((ex, i) => {
    const keys = inputKeysOf(ex, i, name, where);
    for (const k of keys) {
      if (!ex.has(k)) {
        throw invalid(
          `${optimizer}: ${name}[${i}] marks '${k}' as an input but has no such field.`,
          `${where}[${i}]`,
          `Add '${k}' to the example, or drop it from withInputs(...).`,
        );
      }
    }
    if (keys.length !== firstKeys.length || keys.some((k) => !firstKeys.includes(k))) {
      throw invalid(
        `${optimizer}: ${name}[${i}] has inputs [${keys.join(', ')}] but ${name}[0] has [${firstKeys.join(', ')}].`,
        `${where}[${i}]`,
        'Mark the same input keys on every example.',
      );
    }
  });
  const only = predictors.length === 1 ? predictors[0] : undefined;
  if (only) {
    const [path, predictor] = only;
    const missing = predictor.signature.inputs
      .filter((f) => !f.optional && !firstKeys.includes(f.name))
      .map((f) => f.name);
    if (missing.length > 0) {
      throw invalid(
        `${optimizer}: the ${name}'s inputs [${firstKeys.join(', ')}] lack ${missing.map((m) => `'${m}'`).join(', ')}, required by predictor '${path}' (${predictor.signature.name}).`,
        where,
        `Add ${missing.join(', ')} to each example and mark it with withInputs(...).`,
      );
    }
  }
  validateExamples(
    predictors.map(([, p]) => p.signature),
    data,
    { name },
  );
}

function inputKeysOf(ex: TrainExample, i: number, name: string, where: string): readonly string[] {
  const keys = ex && typeof ex === 'object' && 'inputKeys' in ex ? ex.inputKeys : undefined;
  if (keys === undefined || keys.length === 0) {
    throw invalid(
      `${name}[${i}] has no input keys.`,
      `${where}[${i}]`,
      `Build examples with new Example({...}).withInputs('question', ...).`,
    );
  }
  return keys;
}

/** Checks that an integer option is within bounds; throws `OPTIMIZER_INVALID` otherwise. */
export function validateInt(
  optimizer: string,
  option: string,
  value: number | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
  why = '',
): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw invalid(
      `${optimizer}: ${option} is ${String(value)}; it must be ${range}${why ? ` (${why})` : ''}.`,
      `${optimizer}.${option}`,
      `Set ${option} to ${range}.`,
    );
  }
}

/**
 * Checks that a number option is finite and above `min` (strictly when `exclusive`); throws
 * `OPTIMIZER_INVALID` naming the option and its default otherwise.
 */
export function validateNumber(
  optimizer: string,
  option: string,
  value: number | undefined,
  bound: { readonly min: number; readonly exclusive?: boolean; readonly default: number },
): void {
  if (value === undefined) return;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (bound.exclusive ? value > bound.min : value >= bound.min);
  if (!ok) {
    const range = `a number ${bound.exclusive ? '>' : '≥'} ${bound.min}`;
    throw invalid(
      `${optimizer}: ${option} is ${String(value)}.`,
      `${optimizer}.${option}`,
      `Set ${option} to ${range} (default ${bound.default}).`,
    );
  }
}

/** Throws `OPTIMIZER_INVALID` unless `range` (when given) is `[min, max]` with finite min < max. */
export function validateMetricRange(optimizer: string, range: unknown): void {
  if (range !== undefined && !isMetricRange(range)) {
    throw invalid(
      `${optimizer}: metricRange is ${JSON.stringify(range)}; it must be [min, max] with finite min < max.`,
      `${optimizer}.metricRange`,
      'Pass the range your metric scores in, e.g. metricRange: [0, 10], or leave it out for [0, 1].',
    );
  }
}

/** Throws `OPTIMIZER_INVALID` unless `metric` is a function. */
export function validateMetricFn(optimizer: string, metric: unknown, required = true): void {
  if (metric === undefined && !required) return;
  if (typeof metric !== 'function') {
    throw invalid(
      `${optimizer}: metric is ${metric === undefined ? 'missing' : typeof metric}.`,
      `${optimizer}.metric`,
      'Pass { metric: (example, prediction, trace?) => number | boolean | { score, feedback } }.',
    );
  }
}

/** Where an example sits in the data (`trainset[3]`), with its index and inputs, for metric errors. */
export interface ExamplePlace {
  readonly dataset: 'trainset' | 'valset';
  readonly index: number;
}

/** A short, one-line summary of an example's inputs for error messages. */
export function inputsSummary(example: TrainExample): string {
  let text: string;
  try {
    text = JSON.stringify(example.inputs().toJSON());
  } catch {
    text = '(inputs not serialisable)';
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * A `METRIC_ERROR` for a metric that threw or returned a non-score on `example`: the message
 * and details name the example's place (`trainset[3]`), its inputs, and the underlying reason.
 */
export function metricFailure(
  optimizer: string,
  reason: unknown,
  example: TrainExample,
  place: ExamplePlace | undefined,
  context = '',
  extraFix = '',
): DspyError {
  const at = place ? `${place.dataset}[${place.index}]` : 'an example';
  const inputs = inputsSummary(example);
  const inner = reason instanceof DspyError ? reason : undefined;
  const innerFix = inner?.details.fix;
  const full = reason instanceof Error ? reason.message : String(reason);
  // The inner error's own "How to fix" line is repeated by this error's `fix`.
  const message = innerFix ? full.replace(`\n  How to fix: ${innerFix}`, '') : full;
  return new DspyError(
    'METRIC_ERROR',
    `${optimizer}: the metric failed on ${at}${context} (inputs ${inputs}): ${message}`,
    {
      cause: reason,
      details: {
        ...inner?.details,
        where: `${optimizer}.metric on ${at}`,
        ...(place ? { dataset: place.dataset, index: place.index } : {}),
        inputs,
        fix: `${innerFix ?? 'Make the metric handle every prediction (guard missing or malformed fields) and return a number in [0, 1], a boolean, or { score, feedback? }.'}${extraFix}`,
      },
    },
  );
}

/**
 * Calls the metric once on an example and a "prediction" made of that example's own labels
 * (no LM call): a metric that throws or returns NaN / a non-score there (for example a built-in
 * metric on a misspelt field) fails with `METRIC_ERROR` before the search spends anything.
 * Skip with the optimizer option `probeMetric: false`.
 */
export async function probeMetric(
  optimizer: string,
  metric: Metric,
  example: TrainExample,
  range?: MetricRange,
): Promise<void> {
  const gold = new Prediction(example.labels().toJSON());
  const place: ExamplePlace = { dataset: 'trainset', index: 0 };
  const context = ' scored against its own labels, before any LM call';
  let value: MetricResult;
  try {
    value = await metric(asExample(example), gold, undefined);
  } catch (err) {
    // A built-in metric's METRIC_ERROR already says what to fix; a user metric may just need program-only fields.
    const builtIn = err instanceof DspyError && err.code === 'METRIC_ERROR';
    const hint = builtIn
      ? ''
      : ' Pass probeMetric: false if the metric needs fields only the program produces.';
    throw metricFailure(optimizer, err, example, place, context, hint);
  }
  try {
    normalizeMetricResult(value, `${optimizer}.metric`, range);
  } catch (err) {
    throw metricFailure(optimizer, err, example, place, context);
  }
}

/** Normalises a metric value; throws `METRIC_ERROR` for NaN, infinities, scores outside [0, 1] and non-scores. */
export function checkMetricValue(optimizer: string, value: unknown, on: string): NormalizedMetricResult {
  try {
    return normalizeMetricResult(value, `${optimizer}.metric`);
  } catch (err) {
    throw new DspyError(
      'METRIC_ERROR',
      `${optimizer}: the metric returned an invalid score on ${on}: ${err instanceof Error ? err.message : String(err)}`,
      {
        cause: err,
        details: {
          where: `${optimizer}.metric`,
          fix: 'Return a finite number in [0, 1], a boolean, or { score, feedback? } for every example.',
        },
      },
    );
  }
}

/**
 * Wraps a metric so every result is checked as it comes; the first failure is kept in
 * `failure` (so it is raised even if an evaluator counts it as a failed example). `locate`
 * tells where an example sits in the data, so the failure names it (`trainset[3]`).
 */
export function guardMetric(
  optimizer: string,
  metric: Metric,
  locate: (example: TrainExample) => ExamplePlace | undefined = () => undefined,
  range?: MetricRange,
): { metric: TrainMetric; failure: () => DspyError | undefined } {
  let failure: DspyError | undefined;
  const guarded: TrainMetric = async (example, prediction, trace) => {
    let value: MetricResult;
    try {
      value = await metric(asExample(example), prediction, trace);
    } catch (err) {
      failure ??= metricFailure(optimizer, err, example, locate(example));
      throw failure;
    }
    try {
      const checked = normalizeMetricResult(value, `${optimizer}.metric`, range);
      return checked.feedback === undefined ? checked.score : checked;
    } catch (err) {
      failure ??= metricFailure(optimizer, err, example, locate(example));
      throw failure;
    }
  };
  Object.defineProperty(guarded, 'name', { value: metric.name || 'metric' });
  return { metric: guarded, failure: () => failure };
}

/** An `OPTIMIZER_INVALID` error. */
export function invalid(message: string, where: string, fix: string, cause?: unknown): DspyError {
  return new DspyError('OPTIMIZER_INVALID', message, { cause, details: { where, fix } });
}
