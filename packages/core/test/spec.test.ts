import { describe, expect, it } from 'vitest';
import { DspyError, Example, Prediction, SignatureSpec } from '../src/index.js';

const qa = new SignatureSpec({
  name: 'QA',
  instructions: 'Answer the question.',
  inputs: [{ name: 'question', schema: { type: 'string' }, typeText: 'string' }],
  outputs: [{ name: 'answer', schema: { type: 'string' }, typeText: 'string' }],
});

describe('SignatureSpec', () => {
  it('is immutable and returns new specs from with* methods', () => {
    const other = qa.withInstructions('Be brief.');
    expect(other).not.toBe(qa);
    expect(qa.instructions).toBe('Answer the question.');
    expect(other.instructions).toBe('Be brief.');
    expect(other.hash).not.toBe(qa.hash);
    expect(Object.isFrozen(qa)).toBe(true);
    expect(Object.isFrozen(qa.outputs[0]?.schema)).toBe(true);
  });

  it('hashes stably over fields, types and instructions', () => {
    const again = new SignatureSpec({ ...qa.toJSON() });
    expect(again.hash).toBe(qa.hash);
    const withReasoning = qa.withField(
      'output',
      { name: 'reasoning', schema: { type: 'string' }, typeText: 'string' },
      'start',
    );
    expect(withReasoning.outputs.map((f) => f.name)).toEqual(['reasoning', 'answer']);
    expect(withReasoning.hash).not.toBe(qa.hash);
  });

  it('rejects duplicate and reserved field names with a DspyError', () => {
    expect(() => qa.withField('input', { name: 'answer', schema: {}, typeText: 'string' })).toThrow(
      /no output fields/,
    );
    expect(
      () =>
        new SignatureSpec({
          name: 'Bad',
          instructions: '',
          inputs: [{ name: '__proto__', schema: {}, typeText: 'string' }],
          outputs: [{ name: 'a', schema: {}, typeText: 'string' }],
        }),
    ).toThrow(DspyError);
  });
});

describe('Example and Prediction', () => {
  it('splits inputs and labels and exposes fields as properties', () => {
    const ex = new Example({ question: 'q', answer: 'a' }).withInputs('question');
    expect(ex.question).toBe('q');
    expect(ex.inputs().toJSON()).toEqual({ question: 'q' });
    expect(ex.labels().toJSON()).toEqual({ answer: 'a' });
    expect(() => new Example({ a: 1 }).inputs()).toThrow(/withInputs/);
  });

  it('keeps outputs and completions', () => {
    const p = new Prediction({ answer: 'x' }, { completions: [{ answer: 'x' }, { answer: 'y' }] });
    expect(p.answer).toBe('x');
    expect(p.completions.map((c) => c.answer)).toEqual(['x', 'y']);
    expect(p.toJSON()).toEqual({ answer: 'x' });
  });
});
