import { describe, expect, it } from 'vitest';
import { Prediction } from '../../src/data/prediction.js';

describe('Prediction completions', () => {
  it('keeps frozen copies: the main outputs shared with their completion, the others separate', () => {
    const first = { answer: 'a' };
    const second = { answer: 'b' };
    const p = new Prediction(first, { completions: [first, second] });
    first.answer = 'changed';
    second.answer = 'changed';
    expect(p.answer).toBe('a');
    expect(p.get('answer')).toBe('a');
    expect(p.completions.map((c) => c.answer)).toEqual(['a', 'b']);
    expect(Object.isFrozen(p.completions[0])).toBe(true);
    expect(Object.isFrozen(p.completions[1])).toBe(true);
    expect(Object.isFrozen(p.completions)).toBe(true);
    expect(p.toJSON()).toEqual({ answer: 'a' });
  });

  it('has one completion, its outputs, when none are given', () => {
    const p = new Prediction({ answer: 'x' });
    expect(p.completions).toEqual([{ answer: 'x' }]);
    expect(Object.isFrozen(p.completions[0])).toBe(true);
  });
});
