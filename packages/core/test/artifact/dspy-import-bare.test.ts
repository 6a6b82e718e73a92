import { importDspyState, Predict } from '@dspy-ts/core';
import { parseDspyState } from '@dspy-ts/core/internal';
import { describe, expect, it } from 'vitest';

/** What Python DSPy writes for `dspy.Predict('question -> answer').save('qa.json')`. */
const barePredict = {
  traces: [],
  train: [],
  demos: [
    { augmented: true, question: 'Who wrote Hamlet?', answer: 'William Shakespeare' },
    { question: 'What is 2 + 2?', answer: '4' },
  ],
  signature: {
    instructions: 'Answer in as few words as possible.',
    fields: [
      { prefix: 'Question:', description: `\${question}` },
      { prefix: 'Answer:', description: 'a short answer' },
    ],
  },
  lm: null,
  metadata: { dependency_versions: { python: '3.12', dspy: '2.6.27', cloudpickle: '3.1' } },
};

describe('importDspyState: a bare dspy.Predict save', () => {
  it('reads the state at the top level as the predictor DSPy calls self', () => {
    const state = parseDspyState(JSON.stringify(barePredict));
    expect(state.predictors.map((p) => p.name)).toEqual(['self']);
    expect(state.predictors[0]?.demos).toHaveLength(2);
    expect(state.versions.dspy).toBe('2.6.27');
  });

  it('loads it into a Predict: demos, instructions and field descriptions', () => {
    const qa = new Predict('question -> answer');
    const report = importDspyState(barePredict, qa);
    expect(report.applied).toEqual({ self: 'self' });
    expect(qa.signature.instructions).toBe('Answer in as few words as possible.');
    expect(qa.signature.field('answer')?.description).toBe('a short answer');
    expect(qa.demos).toEqual([
      { augmented: true, question: 'Who wrote Hamlet?', answer: 'William Shakespeare' },
      { question: 'What is 2 + 2?', answer: '4' },
    ]);
  });

  it('loads it into a single-predictor program at another path', () => {
    class Wrapper {
      readonly inner = new Predict('question -> answer');
      namedPredictors() {
        return [['inner', this.inner] as const];
      }
    }
    const w = new Wrapper();
    expect(importDspyState(barePredict, w).applied).toEqual({ self: 'inner' });
    expect(w.inner.demos).toHaveLength(2);
  });

  it("maps old DSPy demos' rationale key to the reasoning field", () => {
    const old = {
      ...barePredict,
      demos: [{ question: 'Is 7 prime?', rationale: 'It has no divisor but 1 and 7.', answer: 'yes' }],
      signature: { instructions: 'Think, then answer.', fields: [] },
    };
    const cot = new Predict('question -> reasoning, answer');
    const report = importDspyState(old, cot);
    expect(cot.demos).toEqual([
      { question: 'Is 7 prime?', reasoning: 'It has no divisor but 1 and 7.', answer: 'yes' },
    ]);
    expect(report.warnings).toEqual([]);
  });
});
