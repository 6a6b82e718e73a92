import { describe, expect, it } from 'vitest';
import { Example, inputValues } from '../../src/data/example.js';

describe('inputValues', () => {
  it('gives what inputs().toJSON() gives, for an Example and for any example-like value', () => {
    const ex = new Example({ question: 'q', context: ['a'], answer: 'x' }).withInputs('question', 'context');
    expect(inputValues(ex)).toEqual({ question: 'q', context: ['a'] });
    expect(inputValues(ex)).toEqual(ex.inputs().toJSON());
    const like = { inputKeys: ['q'], inputs: () => ({ toJSON: () => ({ q: 1 }) }) };
    expect(inputValues(like)).toEqual({ q: 1 });
  });

  it('returns a fresh object each time and leaves out inputs the example lacks', () => {
    const ex = new Example({ question: 'q' }).withInputs('question', 'missing' as 'question');
    const a = inputValues(ex) as Record<string, unknown>;
    a.question = 'changed';
    expect(inputValues(ex)).toEqual({ question: 'q' });
    expect(Object.keys(inputValues(ex))).toEqual(['question']);
  });

  it('throws the same error as inputs() when no inputs were marked', () => {
    const ex = new Example({ question: 'q' });
    expect(() => inputValues(ex)).toThrow(/no input keys/);
  });
});
