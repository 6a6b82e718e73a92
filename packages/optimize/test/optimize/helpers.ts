import { Example, type Metric, Predict, type Prediction } from '@dspy-ts/core';

/** A one-predictor program: `input -> output`. */
export function simpleProgram(): Predict {
  return new Predict('input -> output');
}

/** Examples with `input` marked as input. */
export function examples(rows: readonly [string, string][]) {
  return rows.map(([input, output]) => new Example({ input, output }).withInputs('input'));
}

/** Passes when the prediction's output equals the label. */
export const outputMatches: Metric = (ex, pred: Prediction) => pred.get('output') === ex.get('output');

/** The demos of the only predictor of `program`. */
export function demosOf(program: {
  namedPredictors(): Iterable<readonly [string, { demos: unknown[] }]>;
}): unknown[] {
  const first = [...program.namedPredictors()][0];
  return first ? first[1].demos : [];
}
