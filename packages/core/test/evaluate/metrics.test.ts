import type { ExampleLike, Metric, PredictionLike } from '@dspy-ts/core';
import {
  DspyError,
  Example,
  exactMatch,
  exactMatchOn,
  f1,
  normalizeMetricResult,
  normalizeText,
  Prediction,
} from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';

const ex = (answer: unknown) => new Example({ question: 'q', answer }).withInputs('question');

describe('metrics', () => {
  it('normalizes text the SQuAD way', () => {
    expect(normalizeText('  The Eiffel   Tower! ')).toBe('eiffel tower');
    expect(normalizeText('An apple, a day.')).toBe('apple day');
    expect(normalizeText('Theory')).toBe('theory');
  });

  it('exactMatch compares normalized text and accepts lists of answers', () => {
    expect(exactMatch(ex('Paris'), new Prediction({ answer: 'paris.' }))).toBe(true);
    expect(exactMatch(ex(['Lyon', 'Paris']), new Prediction({ answer: 'The Paris' }))).toBe(true);
    expect(exactMatch(ex('Paris'), new Prediction({ answer: 'London' }))).toBe(false);
    expect(exactMatch(ex('Paris'), new Prediction({}))).toBe(false);
  });

  it('exactMatch ignores a trace passed as its third argument', () => {
    const metric: Metric<ExampleLike, PredictionLike> = exactMatch;
    expect(metric(ex('x'), new Prediction({ answer: 'x' }), [])).toBe(true);
  });

  it('exactMatchOn reads another field and has a name', () => {
    const m = exactMatchOn('label');
    const e = new Example({ text: 't', label: 'pos' }).withInputs('text');
    expect(m(e, new Prediction({ label: 'POS' }))).toBe(true);
    expect(m.name).toBe('exactMatch(label)');
  });

  it('f1 is token F1 with the best gold answer', () => {
    expect(f1(ex('the cat sat'), new Prediction({ answer: 'cat sat down' }))).toBeCloseTo(0.8);
    expect(f1(ex(['dog', 'cat sat']), new Prediction({ answer: 'cat sat' }))).toBe(1);
    expect(f1(ex('cat'), new Prediction({ answer: 'dog' }))).toBe(0);
  });

  it('normalizeMetricResult accepts numbers, booleans and { score, feedback }', () => {
    expect(normalizeMetricResult(true)).toEqual({ score: 1 });
    expect(normalizeMetricResult(0.5)).toEqual({ score: 0.5 });
    expect(normalizeMetricResult({ score: false, feedback: 'no' })).toEqual({ score: 0, feedback: 'no' });
    expect(() => normalizeMetricResult(Number.NaN)).toThrow(DspyError);
    expect(() => normalizeMetricResult('1')).toThrow(/not a score/);
  });
});
