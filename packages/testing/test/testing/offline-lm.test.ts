import type { ChatMessage } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';
import { OfflineLM, parseBlocks, parseRules } from '../../src/index.js';
import { classifyPrompt, qaSystem, qaUser } from './prompts.js';

const LABELS = ['card_arrival', 'request_refund', 'lost_or_stolen_card'];

/** Parses a chat completion back to its blocks. */
async function ask(lm: OfflineLM, messages: ChatMessage[], extra: { rolloutId?: string; n?: number } = {}) {
  const r = await lm.call({ messages, ...extra });
  return parseBlocks(r.text);
}

const demos = [
  { text: 'My new card has not arrived yet', label: 'card_arrival' },
  { text: 'I want my money back for this purchase', label: 'request_refund' },
  { text: 'Someone stole my wallet with my card', label: 'lost_or_stolen_card' },
];

describe('OfflineLM as a task model', () => {
  it('copies the nearest demo by TF-IDF similarity', async () => {
    const lm = new OfflineLM();
    const out = await ask(
      lm,
      classifyPrompt(LABELS, ['Classify.'], demos, 'When will my card arrive? It has not arrived'),
    );
    expect(out).toEqual({ label: 'card_arrival', confidence: '0.9' });
    const out2 = await ask(lm, classifyPrompt(LABELS, ['Classify.'], demos, 'my wallet was stolen'));
    expect(out2.label).toBe('lost_or_stolen_card');
  });

  it('rules in the instructions take precedence, first matching rule wins', async () => {
    const lm = new OfflineLM();
    const rules = [
      'Classify the message.',
      'If the text mentions "refund", answer "request_refund".',
      'If the text mentions "card", answer "lost_or_stolen_card".',
      'If the text mentions "money", answer "card_arrival".',
    ];
    const out = await ask(lm, classifyPrompt(LABELS, rules, demos, 'I need a refund for my card payment'));
    expect(out.label).toBe('request_refund');
    // Rule beats the neighbour that would say card_arrival.
    const out2 = await ask(lm, classifyPrompt(LABELS, rules, demos, 'my new card has not arrived yet'));
    expect(out2.label).toBe('lost_or_stolen_card');
    // Whole words only: "cards" does not mention "card"; falls back to the neighbour.
    const out3 = await ask(lm, classifyPrompt(LABELS, rules.slice(0, 2), demos, 'stole my cards wallet'));
    expect(out3.label).toBe('lost_or_stolen_card');
    // A rule naming no option of the enum is skipped; a case-insensitive match is written as the option.
    const odd = [
      'If the text mentions "refund", answer "no_such_label".',
      'If the text mentions "refund", answer "REQUEST_REFUND".',
    ];
    expect((await ask(lm, classifyPrompt(LABELS, odd, [], 'refund now'))).label).toBe('request_refund');
  });

  it('parses the documented rule forms', () => {
    expect(
      parseRules([
        'If the text mentions "refund", answer "request_refund".',
        '- if the question mentions "two words", set label to "x"',
        'Not a rule: If something else.',
      ]),
    ).toEqual([
      { input: 'text', token: 'refund', value: 'request_refund' },
      { input: 'question', token: 'two words', value: 'x', output: 'label' },
    ]);
  });

  it('answers a weak default with no demos and no rule', async () => {
    const lm = new OfflineLM();
    expect(await ask(lm, classifyPrompt(LABELS, ['Classify.'], [], 'hello there'))).toEqual({
      label: 'card_arrival',
      confidence: '0',
    });
    const qa = await ask(lm, [
      { role: 'system', content: qaSystem },
      { role: 'user', content: qaUser('What is the capital city of France today?') },
    ]);
    expect(qa.answer).toBe('what is the capital city');
  });

  it('gives JSON outputs the smallest value their schema accepts', async () => {
    const schema = {
      type: 'object',
      properties: {
        title: { type: 'string' },
        size: { type: 'integer', minimum: 1 },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1 },
        kind: { enum: ['x', 'y'] },
      },
      required: ['title', 'size', 'tags', 'kind'],
    };
    const sys = qaSystem
      .replace('1. `answer` (string)', '1. `plan` (Plan)')
      .replace(
        '[[ ## answer ## ]]\n{answer}',
        `[[ ## plan ## ]]\n{plan}        # note: the value you produce must adhere to the JSON schema: ${JSON.stringify(schema)}`,
      );
    const out = await ask(new OfflineLM(), [
      { role: 'system', content: sys },
      { role: 'user', content: '[[ ## question ## ]]\nWhat now?' },
    ]);
    expect(JSON.parse(out.plan ?? '')).toEqual({ title: '', size: 1, tags: [''], kind: 'x' });
  });

  it('is deterministic, ignores temperature, and answers JSON prompts with JSON', async () => {
    const lm = new OfflineLM();
    const msgs = classifyPrompt(LABELS, ['Classify.'], demos, 'card not arrived');
    const a = await lm.call({ messages: msgs, temperature: 0 });
    const b = await lm.call({ messages: msgs, temperature: 1.5 });
    expect(b.text).toBe(a.text);
    const j = await lm.call({ messages: msgs, responseFormat: { type: 'json_object' } });
    expect(JSON.parse(j.text)).toEqual({ label: 'card_arrival', confidence: 0.9 });
    expect(lm.callCount).toBe(3);
  });

  it('a rollout id may take the second-nearest demo', async () => {
    const lm = new OfflineLM();
    const msgs = classifyPrompt(
      LABELS,
      ['Classify.'],
      demos,
      'my card has not arrived, and my wallet was stolen',
    );
    const labels = new Set<string | undefined>();
    for (let i = 0; i < 6; i++) labels.add((await ask(lm, msgs, { rolloutId: `r${i}` })).label);
    expect(labels).toEqual(new Set(['card_arrival', 'lost_or_stolen_card']));
  });

  it('gives reasoning fields a sentence saying why', async () => {
    const sys = qaSystem
      .replace(
        'Your output fields are:\n1. `answer` (string)',
        'Your output fields are:\n1. `reasoning` (string)\n2. `answer` (string)',
      )
      .replace(
        '[[ ## answer ## ]]\n{answer}',
        '[[ ## reasoning ## ]]\n{reasoning}\n\n[[ ## answer ## ]]\n{answer}',
      );
    const msgs: ChatMessage[] = [
      { role: 'system', content: sys },
      { role: 'user', content: '[[ ## question ## ]]\nWho wrote Hamlet?' },
      {
        role: 'assistant',
        content: '[[ ## reasoning ## ]]\nx\n\n[[ ## answer ## ]]\nShakespeare\n\n[[ ## completed ## ]]',
      },
      { role: 'user', content: qaUser('Who wrote the play Hamlet?') },
    ];
    const out = await ask(new OfflineLM(), msgs);
    expect(out.answer).toBe('Shakespeare');
    expect(out.reasoning).toMatch(/most similar example \(#1/);
    expect(Object.keys(out)).toEqual(['reasoning', 'answer']);
  });

  it('answers a thousand prompts with 16 demos each', async () => {
    const lm = new OfflineLM();
    const many = Array.from({ length: 16 }, (_, i) => ({
      text: `message number ${i} about card ${i % 3}`,
      label: LABELS[i % 3]!,
    }));
    for (let i = 0; i < 1000; i++)
      await lm.call({ messages: classifyPrompt(LABELS, ['Classify.'], many, `card ${i % 3} issue ${i}`) });
    expect(lm.callCount).toBe(1000);
  });
});
