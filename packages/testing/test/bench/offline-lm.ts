/**
 * OfflineLM throughput: 3,000 ChatAdapter prompts (16 demos each, one rule) answered in turn.
 * Run: node --conditions=@dspy-ts/source --import tsx packages/testing/test/bench/offline-lm.ts
 */
import { ChatAdapter, signature } from '@dspy-ts/core';
import { OfflineLM } from '../../src/index.js';

const labels = ['card_arrival', 'request_refund', 'lost_or_stolen_card'];
const spec = signature(`text: string -> label: ${labels.map((l) => `'${l}'`).join(' | ')}`, {
  instructions: 'Classify.\nIf the text mentions "refund", answer "request_refund".',
});
const demos = Array.from({ length: 16 }, (_, i) => ({
  text: `message number ${i} about my card which is ${i % 3} days late`,
  label: labels[i % 3],
}));
const adapter = new ChatAdapter();
const prompts = Array.from({ length: 3000 }, (_, i) =>
  adapter.format(spec, { demos, inputs: { text: `card ${i % 3} issue ${i} not arrived` } }),
);
const lm = new OfflineLM();
for (const messages of prompts.slice(0, 300)) lm.complete({ messages });
const start = performance.now();
for (const messages of prompts) lm.complete({ messages });
const seconds = (performance.now() - start) / 1000;
console.log(
  `OfflineLM: ${Math.round(prompts.length / seconds)} prompts/s (${prompts.length} prompts, 16 demos each)`,
);
