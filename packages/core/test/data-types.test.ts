import { describe, expect, expectTypeOf, it } from 'vitest';
import { Example, Prediction } from '../src/index.js';

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
});
