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

/** The value of the `input` field in the last user message of a chat prompt. */
export function lastInput(messages: readonly { content: string }[]): string {
  const last = messages.at(-1)?.content ?? '';
  const m = /\[\[ ## input ## \]\]\n([^\n]*)/.exec(last);
  return m?.[1] ?? '';
}

/**
 * A deterministic "learner": answers `ans:<input>` when the prompt has at least one demo and
 * the input is not listed as hard, else `?`. Answers depend only on the prompt.
 */
export function demoLearner(hard: readonly string[] = []) {
  return (req: { messages: readonly { content: string }[] }) => {
    const input = lastInput(req.messages);
    const hasDemos = req.messages.length > 2;
    return { output: hasDemos && !hard.includes(input) ? `ans:${input}` : '?' };
  };
}

/** `n` examples `q<i>` → `ans:q<i>`. */
export function numbered(n: number, prefix = 'q') {
  return examples(
    Array.from({ length: n }, (_, i) => [`${prefix}${i}`, `ans:${prefix}${i}`] as [string, string]),
  );
}
