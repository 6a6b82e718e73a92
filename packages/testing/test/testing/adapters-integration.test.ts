import { ChainOfThought, ChatAdapter, JSONAdapter, Predict, signature, withSettings } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';
import { OfflineLM, parsePrompt, ScriptedLM } from '../../src/index.js';

const intents = signature(
  "text: string -> label: 'card_arrival' | 'request_refund' | 'lost_or_stolen_card', confidence: number",
  { instructions: 'Classify the banking query.\nIf the text mentions "refund", answer "request_refund".' },
);
const demos = [
  { text: 'My new card has not arrived yet', label: 'card_arrival', confidence: 0.8 },
  { text: 'Someone stole my wallet with my card', label: 'lost_or_stolen_card', confidence: 0.7 },
];

describe.each([
  ['ChatAdapter', new ChatAdapter()],
  ['JSONAdapter', new JSONAdapter()],
])('OfflineLM reads %s prompts', (_name, adapter) => {
  it('sees the fields, instructions, demos and inputs', () => {
    const messages = adapter.format(intents, { demos, inputs: { text: 'where is my card' } });
    const p = parsePrompt(messages);
    expect(p.system.inputs.map((f) => f.name)).toEqual(['text']);
    expect(p.system.outputs.map((f) => [f.name, f.kind])).toEqual([
      ['label', 'enum'],
      ['confidence', 'number'],
    ]);
    expect(p.system.outputs[0]?.options).toEqual(['card_arrival', 'request_refund', 'lost_or_stolen_card']);
    expect(p.system.instructions).toEqual([
      'Classify the banking query.',
      'If the text mentions "refund", answer "request_refund".',
    ]);
    expect(p.json).toBe(adapter instanceof JSONAdapter);
    expect(p.demos).toHaveLength(2);
    expect(p.demos[1]?.outputs).toEqual({ label: 'lost_or_stolen_card', confidence: '0.7' });
    expect(p.inputs).toEqual({ text: 'where is my card' });
  });

  it('answers in a form the adapter parses: neighbour, then rule', async () => {
    const lm = new OfflineLM();
    const ask = async (text: string) => {
      const messages = adapter.format(intents, { demos, inputs: { text } });
      const r = await lm.call({ messages, ...adapter.requestOptions?.(intents, lm) });
      return adapter.parse(intents, r.text);
    };
    expect(await ask('my wallet was stolen')).toEqual({ label: 'lost_or_stolen_card', confidence: 0.7 });
    expect(await ask('I want a refund for my card')).toEqual({ label: 'request_refund', confidence: 0.8 });
  });

  it('ScriptedLM answers parse back to the same outputs', async () => {
    const lm = new ScriptedLM([{ label: 'request_refund', confidence: 0.25 }]);
    const messages = adapter.format(intents, { inputs: { text: 'x' } });
    const r = await lm.call({ messages, ...adapter.requestOptions?.(intents, lm) });
    expect(adapter.parse(intents, r.text)).toEqual({ label: 'request_refund', confidence: 0.25 });
  });
});

describe('OfflineLM behind modules', () => {
  it('Predict with demos beats Predict without them', async () => {
    const plain = signature("text: string -> label: 'card_arrival' | 'lost_or_stolen_card'");
    const zero = new Predict(plain);
    const few = new Predict(plain, { demos: [{ text: 'my card was stolen', label: 'lost_or_stolen_card' }] });
    await withSettings({ lm: new OfflineLM() }, async () => {
      expect((await zero.forward({ text: 'stolen card' })).label).toBe('card_arrival');
      expect((await few.forward({ text: 'stolen card' })).label).toBe('lost_or_stolen_card');
    });
  });

  it('ChainOfThought gets a reasoning sentence and a rule-driven answer', async () => {
    const cot = new ChainOfThought(intents);
    const pred = await withSettings({ lm: new OfflineLM() }, () => cot.forward({ text: 'refund please' }));
    expect(pred.label).toBe('request_refund');
    expect(String((pred as unknown as { reasoning: string }).reasoning)).toMatch(/mentions "refund"/);
  });
});
