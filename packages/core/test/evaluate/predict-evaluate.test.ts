import { Example, evaluate, exactMatch, f1, Predict } from '@dspy-ts/core';
import { ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, it } from 'vitest';

describe('evaluate with a real Predict', () => {
  it('scores a Predict answering through the chat adapter', async () => {
    const lm = new ScriptedLM({
      France: { answer: 'Paris' },
      Italy: { answer: 'Milan' },
      Spain: { answer: 'Madrid' },
    });
    const qa = new Predict('question -> answer', { lm });
    const devset = [
      new Example({ question: 'Capital of France?', answer: 'Paris' }).withInputs('question'),
      new Example({ question: 'Capital of Italy?', answer: 'Rome' }).withInputs('question'),
      new Example({ question: 'Capital of Spain?', answer: 'Madrid' }).withInputs('question'),
    ];
    const report = await evaluate(qa, devset, exactMatch, { progress: false, concurrency: 2 });
    expect(report.score).toBeCloseTo(66.667, 2);
    expect(report.results.map((r) => r.prediction?.answer)).toEqual(['Paris', 'Milan', 'Madrid']);
    const soft = await evaluate(qa, devset, (ex, pred) => f1(ex, pred), { progress: false });
    expect(soft.score).toBeCloseTo(66.667, 2);
  });
});
