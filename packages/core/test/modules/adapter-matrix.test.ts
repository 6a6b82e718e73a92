import {
  type Adapter,
  BestOfN,
  ChainOfThought,
  ChatAdapter,
  isDspyError,
  JSONAdapter,
  Predict,
  ReAct,
  Refine,
  silentLogger,
  TwoStepAdapter,
  withSettings,
  XMLAdapter,
} from '@dspy-ts/core';
import { OfflineLM } from '@dspy-ts/testing';
import { describe, expect, it } from 'vitest';
import { search } from './react-helpers.js';

// Every adapter runs every module end to end over the offline model: the demos teach the answer,
// so each module must carry it through the adapter's prompt and parse it back typed.
const ADAPTERS: readonly (readonly [string, () => Adapter])[] = [
  ['ChatAdapter', () => new ChatAdapter({ fallback: false })],
  ['JSONAdapter', () => new JSONAdapter()],
  ['XMLAdapter', () => new XMLAdapter({ fallback: false })],
  ['TwoStepAdapter', () => new TwoStepAdapter({ extractionModel: new OfflineLM({ model: 'extractor' }) })],
];

const DEMOS = [
  { question: 'What is the capital of France?', answer: 'Paris', sure: true },
  { question: 'How many legs does a spider have?', answer: 'eight', sure: false },
];
const SIGNATURE = 'question -> answer, sure: boolean';
const ASK = { question: 'What is the capital of France?' };

const predict = (adapter: Adapter) => {
  const p = new Predict(SIGNATURE, { lm: new OfflineLM(), adapter });
  p.demos = DEMOS;
  return p;
};

describe.each(ADAPTERS)('%s with every module over OfflineLM', (name, make) => {
  it('Predict: typed outputs learned from the demos', async () => {
    const pred = await predict(make()).forward(ASK);
    expect(pred.answer).toBe('Paris');
    expect(pred.sure).toBe(true);
    expect(pred.lmCalls).toBe(name === 'TwoStepAdapter' ? 2 : 1);
  });

  it('ChainOfThought: a reasoning text before the typed outputs', async () => {
    const cot = new ChainOfThought(SIGNATURE, { lm: new OfflineLM(), adapter: make() });
    cot.predict.demos = DEMOS.map((d) => ({ ...d, reasoning: `The question asks about ${d.question}` }));
    const pred = await cot.forward(ASK);
    expect(pred.answer).toBe('Paris');
    expect(pred.sure).toBe(true);
    expect(typeof pred.reasoning).toBe('string');
    expect(pred.reasoning.length).toBeGreaterThan(0);
  });

  it('BestOfN and Refine: the rewarded answer', async () => {
    const reward = (_x: unknown, p: { answer?: unknown }) => (p.answer === 'Paris' ? 1 : 0);
    const best = await new BestOfN(predict(make()), { N: 2, threshold: 1, rewardFn: reward }).forward(ASK);
    expect(best.answer).toBe('Paris');
    const refined = await withSettings({ logger: silentLogger }, () =>
      new Refine(predict(make()), { N: 2, threshold: 1, rewardFn: reward }).forward(ASK),
    );
    expect(refined.answer).toBe('Paris');
  });

  it(
    name === 'TwoStepAdapter'
      ? 'ReAct: refused with ADAPTER_FORMAT'
      : 'ReAct: runs the loop and extracts typed outputs',
    async () => {
      const agent = new ReAct(SIGNATURE, {
        tools: [search],
        lm: new OfflineLM(),
        adapter: make(),
        maxIters: 2,
      });
      const run = withSettings({ logger: silentLogger }, () => agent.forward(ASK));
      if (name === 'TwoStepAdapter') {
        const err = await run.catch((e: unknown) => e);
        expect(isDspyError(err, 'ADAPTER_FORMAT')).toBe(true);
        expect(String(err)).toMatch(/Use ChatAdapter, JSONAdapter or XMLAdapter/);
        return;
      }
      const pred = await run;
      expect(typeof pred.answer).toBe('string');
      expect(typeof pred.sure).toBe('boolean');
      expect(pred.trajectory.messages.length).toBeGreaterThanOrEqual(1);
    },
  );
});
