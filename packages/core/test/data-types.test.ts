import { ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Example, Predict, Prediction } from '../src/index.js';

describe('Example and Prediction typing', () => {
  it('lets a specific example or prediction stand where a wide one is expected', () => {
    const ex = new Example({ question: 'q', answer: 'a' });
    const pred = new Prediction({ answer: 'x', reasoning: 'r' });
    expectTypeOf(ex).toExtend<Example>();
    expectTypeOf(pred).toExtend<Prediction>();
    expectTypeOf(pred).toExtend<Prediction<{ answer: string }>>();
  });

  it('types known fields exactly and unknown ones as unknown', () => {
    const ex = new Example({ question: 'q', n: 1 });
    expectTypeOf(ex.question).toEqualTypeOf<string>();
    expectTypeOf(ex.n).toEqualTypeOf<number>();
    const wide: Example = ex;
    expectTypeOf(wide.question).toEqualTypeOf<unknown>();
    expect(() => {
      // @ts-expect-error a typed example's fields are read-only
      ex.question = 'other';
    }).toThrow(TypeError);
  });

  it('exposes exactly the declared output fields of a prediction', async () => {
    const lm = new ScriptedLM([{ category: 'sports', score: 0.5 }]);
    const classify = new Predict('text: string -> category: string, score: number', { lm });
    const pred = await classify.forward({ text: 'a goal in extra time' });
    expectTypeOf(pred.category).toEqualTypeOf<string>();
    expectTypeOf(pred.score).toEqualTypeOf<number>();
    expectTypeOf(pred).not.toHaveProperty('categroy');
    // @ts-expect-error a misspelt output field is a compile error, not an `unknown`
    expect(pred.categroy).toBeUndefined();
    expect(pred.category).toBe('sports');

    // A wide prediction has no field properties: generic code reads them with get(), keys(), toJSON().
    const wide: Prediction = pred;
    expectTypeOf(wide).not.toHaveProperty('category');
    // @ts-expect-error the fields of a wide prediction are not known at compile time
    expect(wide.category).toBe('sports');
    expectTypeOf(wide.get('category')).toEqualTypeOf<unknown>();
    expect(wide.get('category')).toBe('sports');
    expect(wide.toJSON()).toEqual({ category: 'sports', score: 0.5 });
  });
});
