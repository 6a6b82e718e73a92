import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CallbackEvents,
  callLM,
  getHistory,
  inspectHistory,
  isDspyError,
  type LanguageModel,
  setHistoryLimit,
  streamLM,
  withSettings,
} from '../../src/index.js';
import { clearHistory, currentSettings, mergeRequest } from '../../src/internal.js';

const messages = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'What is 2+2?' },
];

afterEach(() => {
  setHistoryLimit(100);
  clearHistory();
});

describe('mergeRequest', () => {
  it('applies scoped lmRequest over the request and merges extra', () => {
    const merged = mergeRequest(
      { messages, temperature: 0, n: 2, extra: { seed: 1, top_p: 1 } },
      { temperature: 1, rolloutId: 'r1', extra: { seed: 2 } },
    );
    expect(merged).toMatchObject({ temperature: 1, n: 2, rolloutId: 'r1', extra: { seed: 2, top_p: 1 } });
    const same = { messages };
    expect(mergeRequest(same, undefined)).toBe(same);
  });
});

describe('callLM', () => {
  it('sends the scoped lmRequest to the LM and emits lmStart/lmEnd with one call id', async () => {
    const lm = new ScriptedLM(() => 'four');
    const events: { name: string; callId: string }[] = [];
    const cb = {
      onLmStart: (e: CallbackEvents['lmStart']) => events.push({ name: 'start', callId: e.callId }),
      onLmEnd: (e: CallbackEvents['lmEnd']) => events.push({ name: 'end', callId: e.callId }),
    };
    await withSettings({ callbacks: [cb], lmRequest: { temperature: 1, rolloutId: 7 } }, () =>
      callLM(lm, { messages, temperature: 0 }),
    );
    expect(lm.requests[0]).toMatchObject({ temperature: 1, rolloutId: 7 });
    expect(events.map((e) => e.name)).toEqual(['start', 'end']);
    expect(events[0]?.callId).toBe(events[1]?.callId);
  });

  it('normalises a custom LM failure into a DspyError and reports it in lmEnd', async () => {
    const broken: LanguageModel = {
      model: 'broken',
      call: async () => {
        throw new TypeError('socket closed');
      },
    };
    const ends: unknown[] = [];
    const err = await withSettings({ callbacks: [{ onLmEnd: (e) => ends.push(e.error) }] }, () =>
      callLM(broken, { messages }),
    ).catch((e: unknown) => e);
    expect(isDspyError(err, 'LM_SERVER')).toBe(true);
    expect((err as Error).message).toContain('broken');
    expect(ends[0]).toBe(err);
  });

  it('concurrent withSettings tasks use their own LM', async () => {
    const a = new ScriptedLM(() => 'from A', { model: 'a' });
    const b = new ScriptedLM(() => 'from B', { model: 'b' });
    const run = (lm: LanguageModel) =>
      withSettings({ lm }, async () => {
        const out: string[] = [];
        for (let i = 0; i < 5; i++) {
          await new Promise((r) => setTimeout(r, 1));
          const current = currentSettings().lm as LanguageModel;
          out.push((await callLM(current, { messages })).text);
        }
        return out;
      });
    const [ra, rb] = await Promise.all([run(a), run(b)]);
    expect(ra.every((t) => t.includes('from A'))).toBe(true);
    expect(rb.every((t) => t.includes('from B'))).toBe(true);
    expect(a.callCount).toBe(5);
    expect(b.callCount).toBe(5);
  });
});

describe('streamLM', () => {
  it('falls back to call for LMs without stream: one delta, then the response', async () => {
    const lm: LanguageModel = {
      model: 'plain',
      call: async () => ({
        text: 'whole',
        choices: ['whole'],
        usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
        model: 'plain',
        finishReason: 'stop',
        cacheHit: false,
      }),
    };
    const chunks = [];
    for await (const c of streamLM(lm, { messages })) chunks.push(c);
    expect(chunks.map((c) => c.delta)).toEqual(['whole', '']);
    expect(chunks[1]?.response?.usage.totalTokens).toBe(2);
    expect(getHistory(1)[0]?.choices).toEqual(['whole']);
  });
});

describe('history', () => {
  it('keeps the last N calls and prints exact messages and completions', async () => {
    const lm = new ScriptedLM(() => 'four');
    setHistoryLimit(2);
    for (let i = 0; i < 3; i++)
      await callLM(lm, { messages: [...messages, { role: 'user', content: `#${i}` }] });
    expect(getHistory(10)).toHaveLength(2);
    expect(getHistory(1)[0]?.messages.at(-1)?.content).toBe('#2');
    let printed = '';
    const text = inspectHistory(1, { write: (s) => (printed += s) });
    expect(printed).toBe(text);
    expect(text).toContain('System message:\n\nBe brief.');
    expect(text).toContain('User message:\n\n#2');
    expect(text).toContain('Response:\n\n');
    expect(text).toContain('four');
    expect(text).toContain(lm.model);
    expect(text).not.toContain('\u001b[');
    expect(inspectHistory(1, { write: false, color: true })).toContain('\u001b[');
    expect(inspectHistory(0, { write: false }).trim()).toBe('');
  });
});
