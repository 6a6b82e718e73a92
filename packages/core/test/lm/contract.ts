import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CallbackEvents,
  type ChatMessage,
  callLM,
  getHistory,
  type LanguageModel,
  type LMResponse,
  streamLM,
  trackUsage,
  withSettings,
} from '../../src/index.js';

/** What a contract factory provides: the model under test and how to dispose of it. */
export interface ContractSubject {
  readonly lm: LanguageModel;
  /** Messages this model can answer (default: the chat-format worked example). */
  readonly messages?: readonly ChatMessage[];
  /** Strings that must never appear in settings or history (API keys). */
  readonly secrets?: readonly string[];
  /**
   * For a backend with `supportsToolCalls`: a model of the same kind whose answer to any request
   * with tools is a call of the tool `lookup` with `{ "key": "k1" }`.
   */
  readonly toolCaller?: LanguageModel;
  close?(): Promise<void>;
}

/** The worked example of CHAT_FORMAT.md: a prompt every testing LM understands. */
export const WORKED_EXAMPLE: readonly ChatMessage[] = [
  {
    role: 'system',
    content: [
      'Your input fields are:',
      '1. `question` (string)',
      'Your output fields are:',
      '1. `answer` (string)',
      'All interactions will be structured in the following way, with the appropriate values filled in.',
      '',
      '[[ ## question ## ]]',
      '{question}',
      '',
      '[[ ## answer ## ]]',
      '{answer}',
      '',
      '[[ ## completed ## ]]',
      'In adhering to this structure, your objective is:',
      '        Answer the question.',
    ].join('\n'),
  },
  {
    role: 'user',
    content: [
      '[[ ## question ## ]]',
      'What is the capital of France?',
      '',
      'Respond with the corresponding output fields, starting with the field `[[ ## answer ## ]]`, and then ending with the marker for `[[ ## completed ## ]]`.',
    ].join('\n'),
  },
];

const REASONS = ['stop', 'length', 'content_filter', 'tool_calls', 'error', 'unknown'];

/**
 * The behaviour every `LanguageModel` must show, through `lm.call` and through `callLM` /
 * `streamLM`. Run it against each implementation with a factory that builds a fresh one.
 */
export function describeLanguageModelContract(
  name: string,
  factory: () => ContractSubject | Promise<ContractSubject>,
): void {
  describe(`LanguageModel contract: ${name}`, () => {
    let subject: ContractSubject;
    let messages: readonly ChatMessage[];

    beforeAll(async () => {
      subject = await factory();
      messages = subject.messages ?? WORKED_EXAMPLE;
    });
    afterAll(async () => {
      await subject?.close?.();
    });

    it('names its model', () => {
      expect(typeof subject.lm.model).toBe('string');
      expect(subject.lm.model.length).toBeGreaterThan(0);
    });

    it('answers with text, choices, usage, model, finish reason and cache flag', async () => {
      const r = await subject.lm.call({ messages, cache: false });
      expect(typeof r.text).toBe('string');
      expect(r.text.length).toBeGreaterThan(0);
      expect(r.choices[0]).toBe(r.text);
      expect(r.choices).toHaveLength(1);
      for (const v of [r.usage.promptTokens, r.usage.completionTokens, r.usage.totalTokens]) {
        expect(Number.isInteger(v) && v >= 0).toBe(true);
      }
      expect(r.usage.totalTokens).toBeGreaterThanOrEqual(r.usage.completionTokens);
      expect(typeof r.model).toBe('string');
      expect(REASONS).toContain(r.finishReason);
      expect(r.cacheHit).toBe(false);
    });

    it('returns a fresh object on every call (mutating one answer changes no other)', async () => {
      const a = await subject.lm.call({ messages });
      (a.choices as string[]).push('mutated');
      (a.usage as { promptTokens: number }).promptTokens = -1;
      const b = await subject.lm.call({ messages });
      expect(b.choices).not.toContain('mutated');
      expect(b.usage.promptTokens).toBeGreaterThanOrEqual(0);
    });

    it('goes through callLM: events, history and scoped usage', async () => {
      const events: string[] = [];
      const callbacks = [
        {
          onLmStart: (e: CallbackEvents['lmStart']) => events.push(`start:${e.model}`),
          onLmEnd: (e: CallbackEvents['lmEnd']) => events.push(`end:${e.error ? 'error' : 'ok'}`),
        },
      ];
      const { result, usage } = await trackUsage(() =>
        withSettings({ callbacks }, () => callLM(subject.lm, { messages, cache: false })),
      );
      expect(events).toEqual([`start:${subject.lm.model}`, 'end:ok']);
      expect(usage.calls).toBe(1);
      expect(usage.totalTokens).toBe(result.usage.totalTokens);
      const last = getHistory(1)[0];
      expect(last?.model).toBe(subject.lm.model);
      expect(last?.choices[0]).toBe(result.text);
      expect(last?.messages.at(-1)?.content).toBe(messages.at(-1)?.content);
    });

    it('serves 20 concurrent calls', async () => {
      const all = await Promise.all(
        Array.from({ length: 20 }, (_, i) => callLM(subject.lm, { messages, rolloutId: i, cache: false })),
      );
      expect(all).toHaveLength(20);
      for (const r of all) expect(r.text.length).toBeGreaterThan(0);
    });

    it('streams through streamLM: the deltas make the final text', async () => {
      let text = '';
      let final: string | undefined;
      for await (const chunk of streamLM(subject.lm, { messages, cache: false })) {
        if (chunk.response) final = chunk.response.text;
        else text += chunk.delta;
      }
      expect(final).toBeDefined();
      expect(text).toBe(final);
    });

    it('answers a request with tools by tool calls of one shape, called and streamed', async () => {
      const lm = subject.toolCaller;
      if (!lm) {
        // A backend without function calling must not claim it.
        expect(subject.lm.supportsToolCalls ?? false).toBe(false);
        return;
      }
      expect(lm.supportsToolCalls).toBe(true);
      const tools = [{ name: 'lookup', description: 'Looks a key up.', parameters: { type: 'object' } }];
      const called = await callLM(lm, { messages, tools, cache: false });
      let streamed: LMResponse | undefined;
      for await (const chunk of streamLM(lm, { messages, tools, cache: false })) streamed ??= chunk.response;
      for (const r of [called, streamed]) {
        expect(r?.finishReason).toBe('tool_calls');
        expect(r?.toolCalls).toEqual([{ id: expect.any(String), name: 'lookup', arguments: { key: 'k1' } }]);
      }
    });

    it('keeps secrets out of settings and history', async () => {
      await callLM(subject.lm, { messages });
      const dump = JSON.stringify({ settings: subject.lm.settings?.() ?? {}, history: getHistory(5) });
      expect(dump).not.toMatch(/"apiKey"/);
      for (const s of subject.secrets ?? []) expect(dump).not.toContain(s);
    });
  });
}
