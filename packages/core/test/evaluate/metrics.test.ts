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
  });

  it('a compared field the example or the prediction lacks is a METRIC_ERROR naming the fields', () => {
    const row = new Example({ text: 't', category: 'pos' }).withInputs('text');
    const pred = new Prediction({ category: 'pos' });
    const misspelt = exactMatchOn('categroy');
    for (const run of [
      () => misspelt(row, pred),
      () => exactMatch(row, pred, 'categroy'),
      () => f1(row, pred, 'categroy'),
    ]) {
      let err: unknown;
      try {
        run();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DspyError);
      expect(err).toMatchObject({
        code: 'METRIC_ERROR',
        details: { field: 'categroy', exampleFields: ['text', 'category'], predictionFields: ['category'] },
      });
      expect((err as Error).message).toContain("'categroy'");
      expect((err as Error).message).toContain('[text, category]');
    }
    expect(() => exactMatch(ex('Paris'), new Prediction({}))).toThrow(/the prediction lacks/);
    expect(() =>
      f1(new Example({ question: 'q' }).withInputs('question'), new Prediction({ answer: 'a' })),
    ).toThrow(/the example lacks/);
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

  it('normalizeMetricResult rejects numbers outside [0, 1] unless a range is declared, then rescales', () => {
    expect(() => normalizeMetricResult(7)).toThrow(/returned 7, outside \[0, 1\]/);
    expect(() => normalizeMetricResult(-0.1)).toThrow(DspyError);
    expect(normalizeMetricResult(7, 'metric', [0, 10])).toEqual({ score: 0.7 });
    expect(normalizeMetricResult({ score: 15, feedback: 'ok' }, 'metric', [10, 20])).toEqual({
      score: 0.5,
      feedback: 'ok',
    });
    expect(normalizeMetricResult(true, 'metric', [0, 10])).toEqual({ score: 1 });
    expect(() => normalizeMetricResult(11, 'metric', [0, 10])).toThrow(/outside \[0, 10\]/);
  });
});
