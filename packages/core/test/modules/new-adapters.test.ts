import {
  BestOfN,
  ChainOfThought,
  isDspyError,
  Predict,
  ReAct,
  Refine,
  silentLogger,
  TwoStepAdapter,
  withSettings,
  XMLAdapter,
} from '@dspy-ts/core';
import { ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, it } from 'vitest';
import { search, textTurn } from './react-helpers.js';

const xml = (nativeToolCalls: boolean | 'auto' = 'auto') =>
  new XMLAdapter({ fallback: false, nativeToolCalls });

describe('modules with XMLAdapter (no JSON fallback)', () => {
  it('Predict sends an XML prompt and reads the XML answer', async () => {
    const lm = new ScriptedLM([{ answer: 'Paris' }]);
    const pred = await new Predict('question -> answer', { lm, adapter: xml() }).forward({
      question: 'Capital?',
    });
    expect(pred.answer).toBe('Paris');
    expect(lm.completions[0]).toBe('<answer>\nParis\n</answer>');
    expect(lm.requests[0]?.messages.at(-1)?.content).toContain('<question>\nCapital?\n</question>');
  });

  it('ChainOfThought reads reasoning and a typed answer', async () => {
    const lm = new ScriptedLM([{ reasoning: 'Two twos.', answer: 4 }]);
    const cot = new ChainOfThought('question -> answer: number', { lm, adapter: xml() });
    const pred = await cot.forward({ question: '2 + 2?' });
    expect(pred.reasoning).toBe('Two twos.');
    expect(pred.answer).toBe(4);
  });

  it('ReAct runs text-mode tool calls through the XML format', async () => {
    const lm = new ScriptedLM([
      textTurn({ thought: 'Search.', calls: [{ name: 'search', args: { query: 'Dune' } }] }),
      textTurn({ thought: 'Done.', calls: [{ name: 'finish', args: {} }] }),
      { reasoning: 'Found it.', answer: 'Frank Herbert' },
    ]);
    const agent = new ReAct('question -> answer', {
      tools: [search],
      lm,
      adapter: xml(false),
      nativeToolCalls: false,
    });
    const pred = await agent.forward({ question: 'Who wrote Dune?' });
    expect(pred.answer).toBe('Frank Herbert');
    expect(pred.trajectory.messages[0]?.results[0]?.content).toBe('Results for Dune');
    expect(lm.requests[1]?.messages.at(-1)?.content).toMatch(/^<tool_results>\n/);
  });

  it('BestOfN and Refine pick among XML answers', async () => {
    const lm = new ScriptedLM([{ answer: 'no' }, { answer: 'yes' }]);
    const qa = new Predict('question -> answer', { lm, adapter: xml() });
    const best = await new BestOfN(qa, {
      N: 3,
      threshold: 1,
      rewardFn: (_x, p) => p.answer === 'yes',
    }).forward({
      question: 'q',
    });
    expect(best.answer).toBe('yes');
    const refineLm = new ScriptedLM([{ answer: 'yes' }]);
    const refined = await new Refine(new Predict('question -> answer', { lm: refineLm, adapter: xml() }), {
      N: 2,
      threshold: 1,
      rewardFn: (_x, p) => (p.answer === 'yes' ? 1 : 0),
    }).forward({ question: 'q' });
    expect(refined.answer).toBe('yes');
  });
});

describe('modules with TwoStepAdapter', () => {
  const prose = 'Thinking it over, the answer is 4 because two and two make four.';

  it('ChainOfThought: a prose answer, then reasoning and a typed answer extracted', async () => {
    const extractor = new ScriptedLM([{ reasoning: 'Two and two make four.', answer: 4 }]);
    const main = new ScriptedLM([prose]);
    const cot = new ChainOfThought('question -> answer: number', {
      lm: main,
      adapter: new TwoStepAdapter({ extractionModel: extractor }),
    });
    const pred = await cot.forward({ question: '2 + 2?' });
    expect(pred.answer).toBe(4);
    expect(pred.reasoning).toBe('Two and two make four.');
    expect(pred.lmCalls).toBe(2);
    expect(main.requests[0]?.messages.at(-1)?.content).toContain('question: 2 + 2?');
    expect(extractor.requests[0]?.messages.at(-1)?.content).toContain(prose);
  });

  it('BestOfN and Refine run two calls per attempt', async () => {
    const extractor = new ScriptedLM([{ answer: 'no' }, { answer: 'yes' }, { answer: 'yes' }]);
    const adapter = new TwoStepAdapter({ extractionModel: extractor });
    const main = new ScriptedLM(['Probably no.', 'Yes, surely.', 'Yes.']);
    const qa = new Predict('question -> answer', { lm: main, adapter });
    const best = await new BestOfN(qa, {
      N: 3,
      threshold: 1,
      rewardFn: (_x, p) => p.answer === 'yes',
    }).forward({
      question: 'q',
    });
    expect(best.answer).toBe('yes');
    expect(main.callCount).toBe(2);
    expect(extractor.callCount).toBe(2);
    const refined = await new Refine(qa, { N: 2, threshold: 1, rewardFn: () => 1 }).forward({
      question: 'q',
    });
    expect(refined.answer).toBe('yes');
    expect(extractor.callCount).toBe(3);
  });

  it('streaming makes one main call and one extraction, then one delta per field', async () => {
    const main = new ScriptedLM(['It is Paris.']);
    const extractor = new ScriptedLM([{ answer: 'Paris' }]);
    const qa = new Predict('question -> answer', {
      lm: main,
      adapter: new TwoStepAdapter({ extractionModel: extractor }),
    });
    const events: { type: string; field?: string; delta?: string }[] = [];
    for await (const e of qa.stream({ question: 'Capital?' })) events.push(e);
    expect(events.filter((e) => e.type === 'delta')).toEqual([
      { type: 'delta', field: 'answer', delta: 'Paris' },
    ]);
    expect(main.callCount).toBe(1);
    expect(extractor.callCount).toBe(1);
  });

  it('ReAct is refused with ADAPTER_FORMAT (a free-form answer cannot carry tool calls)', async () => {
    const adapter = new TwoStepAdapter({ extractionModel: new ScriptedLM([]) });
    const agent = new ReAct('question -> answer', { tools: [search], lm: new ScriptedLM(['x']), adapter });
    const err = await withSettings({ logger: silentLogger }, () => agent.forward({ question: 'q' })).catch(
      (e: unknown) => e,
    );
    expect(isDspyError(err, 'ADAPTER_FORMAT')).toBe(true);
  });
});
