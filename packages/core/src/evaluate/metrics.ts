import { ExampleBase } from '../data/example.js';
import { PredictionBase } from '../data/prediction.js';
import { DspyError } from '../errors.js';
import type { TraceEntry } from '../modules/types.js';
import type { Metric } from './metric.js';
import type { ExampleLike, PredictionLike } from './types.js';

const ARTICLES = /\b(a|an|the)\b/gu;
const PUNCTUATION = /[\p{P}\p{S}]/gu;

/**
 * SQuAD answer normalisation: lower case, strip punctuation and articles, collapse whitespace.
 *
 * @example
 * ```ts
 * normalizeText('The  Eiffel-Tower!'); // 'eiffeltower'
 * ```
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(PUNCTUATION, '')
    .replace(ARTICLES, ' ')
    .split(/\s+/u)
    .filter(Boolean)
    .join(' ');
}

/** The fields of a prediction-like value (a `Prediction`, an `Example`, or any plain object). */
function fieldsOf(source: unknown): Record<string, unknown> | undefined {
  if (source === null || typeof source !== 'object') return undefined;
  const plain =
    typeof (source as { toJSON?: unknown }).toJSON === 'function'
      ? (source as { toJSON(): unknown }).toJSON()
      : source;
  return plain && typeof plain === 'object' ? (plain as Record<string, unknown>) : undefined;
}

/** Reads a field from a prediction-like value (a `Prediction`, an `Example`, or any plain object). */
function readField(source: unknown, field: string): unknown {
  // Read through `get`: a field named like a method (`keys`, `inputs`) is not a property.
  if (source instanceof PredictionBase || source instanceof ExampleBase) return source.get(field);
  return fieldsOf(source)?.[field];
}

function fieldNames(source: unknown): string[] {
  if (source instanceof PredictionBase || source instanceof ExampleBase) return source.keys();
  return Object.keys(fieldsOf(source) ?? {});
}

/**
 * Throws `METRIC_ERROR` unless both the example and the prediction have `field`: comparing a
 * field neither has would score every prediction as right (a misspelt field name gives 100%).
 */
function requireField(metric: string, example: unknown, prediction: unknown, field: string): void {
  const exampleFields = fieldNames(example);
  const predictionFields = fieldNames(prediction);
  const lacking = [
    ...(exampleFields.includes(field) ? [] : ['the example']),
    ...(predictionFields.includes(field) ? [] : ['the prediction']),
  ];
  if (lacking.length === 0) return;
  const list = (names: string[]) => (names.length === 0 ? 'no fields' : `[${names.join(', ')}]`);
  throw new DspyError(
    'METRIC_ERROR',
    `${metric} compares the field '${field}', which ${lacking.join(' and ')} lack${lacking.length === 1 ? 's' : ''}. The example has ${list(exampleFields)}; the prediction has ${list(predictionFields)}.`,
    {
      details: {
        where: `${metric} field '${field}'`,
        field,
        exampleFields,
        predictionFields,
        fix: `Name a field both have (check the spelling of '${field}'), or make the program output it.`,
      },
    },
  );
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The gold answers of a field: an array of answers, or a single one. */
function golds(example: ExampleLike, field: string): string[] {
  const value = readField(example, field);
  return Array.isArray(value) ? value.map(asText) : [asText(value)];
}

function fieldOf(field: unknown): string {
  return typeof field === 'string' ? field : 'answer';
}

/**
 * True when the predicted `field` (default `answer`) equals the example's after
 * {@link normalizeText}. A gold value that is an array counts as a list of accepted answers.
 * Throws `METRIC_ERROR` (naming the fields each side has) when the example or the prediction
 * lacks the field.
 *
 * @example
 * ```ts
 * await evaluate(qa, devset, exactMatch);
 * ```
 */
export function exactMatch(example: ExampleLike, prediction: PredictionLike, field?: string): boolean;
/** Used as a metric directly: the third argument is then the optimizer's trace (ignored). */
export function exactMatch(
  example: ExampleLike,
  prediction: PredictionLike,
  trace?: readonly TraceEntry[],
): boolean;
export function exactMatch(example: ExampleLike, prediction: PredictionLike, field?: unknown): boolean {
  const name = fieldOf(field);
  requireField('exactMatch', example, prediction, name);
  const pred = normalizeText(asText(readField(prediction, name)));
  return golds(example, name).some((g) => normalizeText(g) === pred);
}

/**
 * SQuAD token F1 between the predicted `field` (default `answer`) and the example's, the best
 * over the gold answers when the example holds an array. Throws `METRIC_ERROR` when the
 * example or the prediction lacks the field.
 */
export function f1(example: ExampleLike, prediction: PredictionLike, field?: string): number;
/** Used as a metric directly: the third argument is then the optimizer's trace (ignored). */
export function f1(example: ExampleLike, prediction: PredictionLike, trace?: readonly TraceEntry[]): number;
export function f1(example: ExampleLike, prediction: PredictionLike, field?: unknown): number {
  const name = fieldOf(field);
  requireField('f1', example, prediction, name);
  const pred = asText(readField(prediction, name));
  return Math.max(0, ...golds(example, name).map((g) => tokenF1(pred, g)));
}

/** Token-level F1 of two texts after {@link normalizeText}. */
export function tokenF1(predicted: string, gold: string): number {
  const p = normalizeText(predicted).split(' ').filter(Boolean);
  const g = normalizeText(gold).split(' ').filter(Boolean);
  if (p.length === 0 || g.length === 0) return p.length === g.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of g) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of p) {
    const left = counts.get(t) ?? 0;
    if (left > 0) {
      common += 1;
      counts.set(t, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / p.length;
  const recall = common / g.length;
  return (2 * precision * recall) / (precision + recall);
}

/** {@link exactMatch} on another field, as a named metric. */
export function exactMatchOn(field: string): Metric<ExampleLike, PredictionLike> {
  const metric: Metric<ExampleLike, PredictionLike> = (example, prediction) =>
    exactMatch(example, prediction, field);
  Object.defineProperty(metric, 'name', { value: `exactMatch(${field})` });
  return metric;
}

/** {@link f1} on another field, as a named metric. */
export function f1On(field: string): Metric<ExampleLike, PredictionLike> {
  const metric: Metric<ExampleLike, PredictionLike> = (example, prediction) => f1(example, prediction, field);
  Object.defineProperty(metric, 'name', { value: `f1(${field})` });
  return metric;
}
