import { isDspyError } from '@dspy-ts/core';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { ScriptedLM, startTestServer } from '../../src/index.js';

const ask = (content: string) => ({ model: 'm', messages: [{ role: 'user' as const, content }] });

describe('startTestServer({ keepRequests })', () => {
  it('keeps only the newest requests while counting and indexing all of them', async () => {
    await using server = await startTestServer({
      lm: new ScriptedLM(() => 'ok'),
      keepRequests: 2,
    });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
    for (const q of ['q0', 'q1', 'q2', 'q3']) await client.chat.completions.create(ask(q));
    expect(server.received).toBe(4);
    expect(server.requests.map((r) => r.index)).toEqual([2, 3]);
    expect(server.requests.map((r) => r.lmRequest?.messages[0]?.content)).toEqual(['q2', 'q3']);
    expect(server.requests.every((r) => r.outcome.status === 200)).toBe(true);
  });

  it('keeps every request by default, and received counts them', async () => {
    await using server = await startTestServer({ lm: new ScriptedLM(() => 'ok') });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
    for (const q of ['a', 'b', 'c']) await client.chat.completions.create(ask(q));
    expect(server.received).toBe(3);
    expect(server.requests.map((r) => r.index)).toEqual([0, 1, 2]);
  });

  it('rejects a keepRequests that is not an integer >= 0', async () => {
    for (const keepRequests of [-1, 1.5, Number.NaN]) {
      const started = startTestServer({ lm: new ScriptedLM([]), keepRequests });
      await expect(started).rejects.toSatisfy((e: unknown) => isDspyError(e, 'INPUT_INVALID'));
    }
  });
});

describe('ScriptedLM({ keepRequests })', () => {
  it('keeps only the newest requests and completions while counting every call', async () => {
    const lm = new ScriptedLM((_req, i) => `answer ${i}`, { keepRequests: 2 });
    for (const q of ['q0', 'q1', 'q2']) await lm.call({ messages: [{ role: 'user', content: q }] });
    expect(lm.callCount).toBe(3);
    expect(lm.requests.map((r) => r.messages[0]?.content)).toEqual(['q1', 'q2']);
    expect(lm.completions).toEqual(['answer 1', 'answer 2']);
  });

  it('rejects a keepRequests that is not an integer >= 0', () => {
    expect(() => new ScriptedLM([], { keepRequests: -2 })).toThrow(/keepRequests/);
  });
});
