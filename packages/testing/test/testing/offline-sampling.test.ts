import { describe, expect, it } from 'vitest';
import { OfflineLM, parseBlocks } from '../../src/index.js';
import { classifyPrompt } from './prompts.js';

const LABELS = ['card_arrival', 'request_refund', 'lost_or_stolen_card', 'exchange_rate'];
const prompt = classifyPrompt(LABELS, ['Classify.'], [], 'Where is my new card?');

async function label(lm: OfflineLM, extra: { rolloutId?: string; temperature?: number }) {
  return parseBlocks((await lm.call({ messages: prompt, ...extra })).text).label;
}

describe('OfflineLM sampled runs', () => {
  it('guess among the options when no rule or demo applies, so sampled runs differ', async () => {
    const lm = new OfflineLM();
    const ids = Array.from({ length: 12 }, (_, i) => `r${i}`);
    const sampled = await Promise.all(ids.map((rolloutId) => label(lm, { rolloutId, temperature: 1 })));
    expect(new Set(sampled).size).toBeGreaterThan(1);
    expect(sampled.every((l) => LABELS.includes(String(l)))).toBe(true);
    // The same sampled request gets the same guess.
    expect(await label(lm, { rolloutId: 'r3', temperature: 1 })).toBe(sampled[3]);
  });

  it('keep the weak default without sampling (no temperature, or no rollout id)', async () => {
    const lm = new OfflineLM();
    for (const rolloutId of ['r0', 'r1', 'r2', 'r5']) expect(await label(lm, { rolloutId })).toBe(LABELS[0]);
    expect(await label(lm, { temperature: 1 })).toBe(LABELS[0]);
  });
});
