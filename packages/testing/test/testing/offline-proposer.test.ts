import type { ChatMessage } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';
import { MINING_VARIANTS, mineRules, OfflineLM, parseBlocks, parseRules } from '../../src/index.js';
import { classifyPrompt } from './prompts.js';

/** A small Banking77-like sample (hand-written in the style of its intents). */
const SAMPLE: { text: string; label: string }[] = [
  { text: 'I am still waiting on my card, when will it arrive?', label: 'card_arrival' },
  { text: 'My card has not arrived after two weeks', label: 'card_arrival' },
  { text: 'How long does delivery of a new card take to arrive?', label: 'card_arrival' },
  { text: 'Is there tracking for my card delivery?', label: 'card_arrival' },
  { text: 'I want a refund for this purchase', label: 'request_refund' },
  { text: 'How do I get a refund from a merchant?', label: 'request_refund' },
  { text: 'Can I get my money back? I need a refund', label: 'request_refund' },
  { text: 'The seller agreed to refund me, where is it?', label: 'request_refund' },
  { text: 'My card was stolen yesterday', label: 'lost_or_stolen_card' },
  { text: 'I lost my card on the train', label: 'lost_or_stolen_card' },
  { text: 'Someone has stolen my wallet and card', label: 'lost_or_stolen_card' },
  { text: 'I think I lost my card, please block it', label: 'lost_or_stolen_card' },
];

const taskDemos = JSON.stringify(
  SAMPLE.map((s) => ({ inputs: { text: s.text }, outputs: { label: s.label } })),
);

function proposalPrompt(inputs: Record<string, string>): ChatMessage[] {
  const names = Object.keys(inputs);
  const system = [
    'Your input fields are:',
    ...names.map((n, i) => `${i + 1}. \`${n}\` (string)`),
    'Your output fields are:',
    '1. `proposedInstruction` (string): a better instruction',
    'All interactions will be structured in the following way, with the appropriate values filled in.',
    '',
    ...names.flatMap((n) => [`[[ ## ${n} ## ]]`, `{${n}}`, '']),
    '[[ ## proposedInstruction ## ]]',
    '{proposedInstruction}',
    '',
    '[[ ## completed ## ]]',
    'In adhering to this structure, your objective is:',
    '        Propose an instruction for the task.',
  ].join('\n');
  const user = names.map((n) => `[[ ## ${n} ## ]]\n${inputs[n]}`).join('\n\n');
  return [
    { role: 'system', content: system },
    {
      role: 'user',
      content: `${user}\n\nRespond with the corresponding output fields, starting with the field \`[[ ## proposedInstruction ## ]]\`, and then ending with the marker for \`[[ ## completed ## ]]\`.`,
    },
  ];
}

async function propose(lm: OfflineLM, inputs: Record<string, string>, rolloutId?: string): Promise<string> {
  const r = await lm.call({ messages: proposalPrompt(inputs), ...(rolloutId ? { rolloutId } : {}) });
  return parseBlocks(r.text).proposedInstruction ?? '';
}

describe('OfflineLM as a proposer', () => {
  it('mines discriminative tokens per label with support and precision', () => {
    const ex = SAMPLE.map((s) => ({ inputs: { text: s.text }, outputs: { label: s.label } }));
    const rules = mineRules(ex, 'label', { minSupport: 2, minPrecision: 1, perLabel: 2, maxRules: 10 });
    const pairs = rules.map((r) => `${r.token}->${r.value}`);
    expect(pairs).toContain('refund->request_refund');
    expect(pairs).toContain('arrive->card_arrival');
    expect(pairs).toContain('lost->lost_or_stolen_card');
    expect(rules.every((r) => r.support >= 2 && r.precision === 1)).toBe(true);
    expect(pairs).not.toContain('card->card_arrival'); // "card" is in every label
  });

  it('writes the basic instruction plus rule lines, and they raise accuracy', async () => {
    const lm = new OfflineLM();
    const instruction = await propose(lm, { basicInstruction: 'Classify the banking query.', taskDemos });
    const lines = instruction.split('\n');
    expect(lines[0]).toBe('Classify the banking query.');
    const rules = parseRules(lines);
    expect(rules.length).toBeGreaterThanOrEqual(3);
    expect(rules.some((r) => r.token === 'refund' && r.value === 'request_refund')).toBe(true);
    const labels = ['card_arrival', 'request_refund', 'lost_or_stolen_card'];
    const held = [
      { text: 'please refund my order', label: 'request_refund' },
      { text: 'I lost my bank card', label: 'lost_or_stolen_card' },
      { text: 'my card did not arrive', label: 'card_arrival' },
    ];
    let before = 0;
    let after = 0;
    for (const h of held) {
      const b = parseBlocks(
        (await lm.call({ messages: classifyPrompt(labels, ['Classify the banking query.'], [], h.text) }))
          .text,
      );
      const a = parseBlocks((await lm.call({ messages: classifyPrompt(labels, lines, [], h.text) })).text);
      before += b.label === h.label ? 1 : 0;
      after += a.label === h.label ? 1 : 0;
    }
    expect(after).toBe(3);
    expect(after).toBeGreaterThan(before);
  });

  it('is deterministic and varies with tip, rollout id and previous instructions', async () => {
    const lm = new OfflineLM();
    const base = { basicInstruction: 'Classify.', taskDemos };
    const a = await propose(lm, base);
    expect(await propose(lm, base)).toBe(a);
    const variants = new Set<string>([a]);
    for (const tip of ['Be concise.', 'Be creative.', 'Use the examples.', 'Think of edge cases.']) {
      variants.add(await propose(lm, { ...base, tip }));
    }
    expect(variants.size).toBeGreaterThanOrEqual(3);
    const withRollout = new Set([
      await propose(lm, base, 'x1'),
      await propose(lm, base, 'x2'),
      await propose(lm, base, 'x3'),
    ]);
    expect(withRollout.size).toBeGreaterThan(1);
    const r = await lm.call({ messages: proposalPrompt(base), n: 3 });
    expect(new Set(r.choices).size).toBe(3);
    expect(MINING_VARIANTS.length).toBeGreaterThanOrEqual(3);
  });

  it('keeps rules of the best previous instruction and mines from failures on tiny batches', async () => {
    const lm = new OfflineLM();
    const previousInstructions = JSON.stringify([
      { instruction: 'Old.\nIf the text mentions "weird", answer "card_arrival".', score: 10 },
      { instruction: 'Best.\nIf the text mentions "wallet", answer "lost_or_stolen_card".', score: 90 },
    ]);
    const tiny = JSON.stringify([
      {
        inputs: { text: 'Where is my reimbursement' },
        outputs: { label: 'request_refund' },
        predicted: { label: 'card_arrival' },
        feedback: 'wrong label',
      },
      {
        inputs: { text: 'card arrived fine' },
        outputs: { label: 'card_arrival' },
        predicted: { label: 'card_arrival' },
      },
    ]);
    const out = await propose(lm, { basicInstruction: 'Classify.', previousInstructions, taskDemos: tiny });
    const rules = parseRules(out.split('\n'));
    expect(rules[0]).toMatchObject({ token: 'wallet', value: 'lost_or_stolen_card' });
    expect(rules.some((r) => r.token === 'reimbursement' && r.value === 'request_refund')).toBe(true);
    expect(rules.some((r) => r.token === 'weird')).toBe(false);
  });

  it('answers other string outputs of meta requests with a short summary', async () => {
    const msgs = proposalPrompt({ taskDemos }).map((m) =>
      m.role === 'system' ? { ...m, content: m.content.replaceAll('proposedInstruction', 'summary') } : m,
    );
    const out = parseBlocks((await new OfflineLM().call({ messages: msgs })).text);
    expect(out.summary).toBe(
      '12 examples mapping text to label. The label takes 3 distinct values: card_arrival, request_refund, lost_or_stolen_card.',
    );
  });
});
