import {
  type DspyError,
  Example,
  type ExampleProblem,
  evaluate,
  exactMatch,
  isDspyError,
  Module,
  Predict,
  signature,
  specOf,
  validateExamples,
} from '@dspy-ts/core';
import { ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, it } from 'vitest';

const triage = signature("subject: string, tags: string[] -> label: 'bug' | 'feature' | 'question'");

function caught(run: () => unknown): DspyError {
  try {
    run();
  } catch (err) {
    if (isDspyError(err, 'DATASET_INVALID')) return err;
    throw err;
  }
  throw new Error('expected DATASET_INVALID');
}

const rows = [
  { subject: 'Crash on save', tags: ['editor'], label: 'bug' },
  { subject: 123, tags: ['x'], label: 'bug' },
  { subject: 'Dark mode', tags: 'ui', label: 'wish' },
  { subject: 'How do I log in?', tags: [], label: 'question', note: 42 },
].map((r) => new Example(r).withInputs('subject', 'tags'));

describe('validateExamples', () => {
  it('lists every bad example and field at once, inputs and labels alike', () => {
    const err = caught(() => validateExamples(triage, rows, { name: 'trainset' }));
    const problems = err.details.problems as ExampleProblem[];
    expect(problems.map((p) => [p.index, p.field])).toEqual([
      [1, 'subject'],
      [2, 'tags'],
      [2, 'label'],
    ]);
    expect(err.message).toContain('trainset: 2 example(s) do not fit the fields of StringSignature');
    expect(err.message).toContain("trainset[1]: 'subject' is 123: must be string (expected string)");
    expect(err.message).toContain('trainset[2]: \'tags\' is "ui": must be array (expected string[])');
    expect(err.message).toContain('trainset[2]: \'label\' is "wish"');
    expect(err.details.where).toBe('trainset[1]');
    expect(err.details.fix).toBeTruthy();
  });

  it('names the source location of each row when given', () => {
    const err = caught(() =>
      validateExamples(triage, rows, { name: 'train.jsonl', locations: ['train.jsonl:1', 'train.jsonl:2'] }),
    );
    expect(err.message).toContain("train.jsonl:2 (example 1): 'subject' is 123");
    expect(err.details.where).toBe('train.jsonl:2');
  });

  it('accepts valid data, unknown keys, absent labels and lists of accepted labels', () => {
    const good = [
      new Example({ subject: 'a', tags: ['b'], label: 'bug', extra: { any: 1 } }),
      new Example({ subject: 'a', tags: ['b'] }),
      new Example({ subject: ['a', 'b'], tags: ['b'], label: ['bug', 'feature'] }),
    ];
    expect(() => validateExamples(triage, good, { labelLists: true })).not.toThrow();
    expect(() => validateExamples(triage, good)).toThrow(/label/);
    const bad = [new Example({ subject: 'a', tags: [], label: ['bug', 'wish'] })];
    expect(
      (
        caught(() => validateExamples(triage, bad, { labelLists: true })).details.problems as ExampleProblem[]
      )[0]?.field,
    ).toBe('label');
  });

  it('checks a multi-predictor program against the fields each example has that it knows', () => {
    const rewrite = signature('question: string -> query: string');
    const answer = signature('question: string, context: string[] -> answer: string, score: number');
    const data = [new Example({ question: 'q', answer: 'a', score: 'high', unrelated: 1 })];
    const err = caught(() => validateExamples([rewrite, answer], data));
    expect((err.details.problems as ExampleProblem[]).map((p) => p.field)).toEqual(['score']);
  });
});

describe('evaluate checks the devset against the program before any LM call', () => {
  it('throws DATASET_INVALID for a single predictor', async () => {
    const lm = new ScriptedLM([]);
    const program = new Predict(triage, { lm });
    const err = await evaluate(program, rows, () => 1, { progress: false }).catch((e: unknown) => e);
    expect(isDspyError(err, 'DATASET_INVALID')).toBe(true);
    expect((err as Error).message).toContain("devset[1]: 'subject' is 123");
    expect(lm.requests).toHaveLength(0);
  });

  it('throws DATASET_INVALID for a program of several predictors', async () => {
    const lm = new ScriptedLM([]);
    class Pipeline extends Module {
      readonly first = new Predict('question -> query', { lm });
      readonly second = new Predict('query: string -> answer: integer', { lm });
      override async forward(inputs: { question: string }) {
        const { query } = await this.first.forward(inputs);
        return this.second.forward({ query });
      }
    }
    const devset = [new Example({ question: 'q', answer: 'seven' }).withInputs('question')];
    const err = await evaluate(new Pipeline(), devset, () => 1, { progress: false }).catch((e: unknown) => e);
    expect(isDspyError(err, 'DATASET_INVALID')).toBe(true);
    expect((err as Error).message).toContain('devset[0]: \'answer\' is "seven": must be integer');
    expect(lm.requests).toHaveLength(0);
  });

  it('accepts a list of accepted answers as a label (what f1 reads), each checked, but not in a trainset', async () => {
    const lm = new ScriptedLM([{ answer: 'Paris' }, { answer: 'Rome' }]);
    const program = new Predict('question: string -> answer: string', { lm });
    const devset = [
      new Example({ question: 'capital of France?', answer: ['Paris', 'paris, France'] }).withInputs(
        'question',
      ),
    ];
    const report = await evaluate(program, devset, exactMatch, { progress: false });
    expect(report.score).toBe(100);
    const bad = [new Example({ question: 'q', answer: ['Rome', 7] }).withInputs('question')];
    const err = await evaluate(program, bad, exactMatch, { progress: false }).catch((e: unknown) => e);
    expect(isDspyError(err, 'DATASET_INVALID')).toBe(true);
    const asDemos = caught(() => validateExamples(specOf(program), devset, { name: 'trainset' }));
    expect(asDemos.message).toContain("trainset[0]: 'answer'");
  });
});
