import {
  type ChatMessage,
  DspyError,
  isDspyError,
  type LMRequest,
  ReAct,
  silentLogger,
  withSettings,
} from '@dspy-ts/core';
import { ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, it } from 'vitest';
import { type Decision, nativeTurn, plainSteps, search, textTurn } from './react-helpers.js';

const quiet = <T>(fn: () => Promise<T>) => withSettings({ logger: silentLogger }, fn);
const overflow = () =>
  new DspyError('LM_CONTEXT_OVERFLOW', 'LM scripted: the prompt is longer than the context window');

/** All the text a request shows the model: contents and native tool-call arguments. */
function shown(messages: readonly ChatMessage[]): string {
  return messages
    .map((m) =>
      m.role === 'assistant' && m.toolCalls ? `${m.content}${JSON.stringify(m.toolCalls)}` : m.content,
    )
    .join('\n');
}

const DECISIONS: readonly Decision[] = ['alpha', 'beta', 'gamma'].map((q) => ({
  thought: `Search ${q}.`,
  calls: [{ name: 'search', args: { query: q } }],
}));

describe('ReAct: context overflow', () => {
  for (const mode of ['text', 'native'] as const) {
    it(`${mode}: drops the oldest whole step (the call with its result), keeps every step in the trajectory`, async () => {
      const turns = [...DECISIONS, { thought: 'Finish.', calls: [{ name: 'finish', args: {} }] }];
      let served = 0;
      const lm = new ScriptedLM((request: LMRequest) => {
        const text = shown(request.messages);
        // Three steps do not fit: the prompt overflows while the first and the third are both shown.
        if (text.includes('Results for alpha') && text.includes('Results for gamma')) throw overflow();
        const system = request.messages[0]?.content ?? '';
        if (system.includes('`reasoning`')) return { reasoning: 'r', answer: 'done' };
        const turn = turns[served++] as Decision;
        return mode === 'text' ? textTurn(turn) : nativeTurn(turn);
      });
      const agent = new ReAct('question -> answer', {
        tools: [search],
        lm,
        nativeToolCalls: mode === 'native',
      });
      const pred = await quiet(() => agent.forward({ question: 'q' }));
      expect(pred.answer).toBe('done');
      expect(plainSteps(pred.trajectory).map((s) => s.calls[0]?.args)).toEqual([
        { query: 'alpha' },
        { query: 'beta' },
        { query: 'gamma' },
        {},
      ]);
      // The retried fourth turn shows steps 2 and 3 only: neither the first call nor its result.
      const retried = lm.requests.filter((r) => !(r.messages[0]?.content ?? '').includes('`reasoning`'));
      const fourth = shown(retried.at(-1)?.messages ?? []);
      expect(fourth).toContain('Results for beta');
      expect(fourth).toContain('Results for gamma');
      expect(fourth).not.toContain('alpha');
      if (mode === 'native') {
        const msgs = retried.at(-1)?.messages ?? [];
        const calls = msgs.flatMap((m) =>
          m.role === 'assistant' && m.toolCalls ? m.toolCalls.map((c) => c.id) : [],
        );
        const answered = msgs.flatMap((m) => (m.role === 'tool' ? [m.toolCallId] : []));
        expect(answered).toEqual(calls);
        expect(calls).toHaveLength(2);
      }
      const extract = shown(lm.requests.at(-1)?.messages ?? []);
      expect(extract).toContain('(1 earlier steps omitted)');
      expect(extract).toContain('Step 2\nThought: Search beta.');
    });
  }

  it('gives up with LM_CONTEXT_OVERFLOW once nothing is left to drop', async () => {
    const always = new ScriptedLM(() => {
      throw overflow();
    });
    const stuck = new ReAct('question -> answer', { tools: [search], lm: always, nativeToolCalls: false });
    const err = await quiet(() => stuck.forward({ question: 'q' })).catch((e: unknown) => e);
    expect(isDspyError(err, 'LM_CONTEXT_OVERFLOW')).toBe(true);
    expect((err as DspyError).message).toMatch(
      /^ReAct\(.+\): the prompt overflows the context window even after dropping 0 of 0 steps/,
    );
  });
});
