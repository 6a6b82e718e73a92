import {
  type EvaluationReport,
  Example,
  evaluate,
  exactMatch,
  type Metric,
  Prediction,
  type ProgramLike,
} from '@dspy-ts/core';
import { describe, expect, expectTypeOf, it } from 'vitest';

describe('evaluate types', () => {
  it('infers the example and prediction types for an inline metric', async () => {
    const program: ProgramLike<Prediction<{ answer: string }>> = {
      forward: async () => new Prediction({ answer: 'x' }),
    };
    const devset = [new Example({ question: 'q', answer: 'x' }).withInputs('question')];
    const report = await evaluate(
      program,
      devset,
      (ex, pred) => {
        expectTypeOf(ex.answer).toEqualTypeOf<string>();
        expectTypeOf(pred.answer).toEqualTypeOf<string>();
        return ex.answer === pred.answer;
      },
      { progress: false },
    );
    expectTypeOf(report).toEqualTypeOf<
      EvaluationReport<Example<{ question: string; answer: string }>, Prediction<{ answer: string }>>
    >();
    expectTypeOf(exactMatch).toMatchTypeOf<
      Metric<Example<{ question: string }>, Prediction<{ answer: string }>>
    >();
    expect(report.results[0]?.prediction?.answer).toBe('x');
  });
});
