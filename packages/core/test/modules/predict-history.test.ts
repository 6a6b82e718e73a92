import { History, isDspyError, LM, MemoryCache, Predict } from '@dspy-ts/core';
import { ScriptedLM, startTestServer, type TestServer } from '@dspy-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const history = new History([{ question: 'Capital of France?', answer: 'Paris' }]);
const turns = (messages: readonly { role: string; content?: string | null }[]) =>
  messages.map((m) => `${m.role}: ${(m.content ?? '').split('\n\n')[0]}`);
const expected = [
  'user: [[ ## question ## ]]\nCapital of France?',
  'assistant: [[ ## answer ## ]]\nParis',
  'user: [[ ## question ## ]]\nAnd of Italy?',
];

describe('Predict with a History input', () => {
  it('sends the earlier turns as user/assistant messages before the question (ScriptedLM)', async () => {
    const lm = new ScriptedLM([{ answer: 'Rome' }]);
    const qa = new Predict('history: History, question -> answer', { lm });
    const out = await qa.forward({ history, question: 'And of Italy?' });
    expect(out.answer).toBe('Rome');
    expect(turns(lm.requests[0]?.messages ?? []).slice(1)).toEqual(expected);
  });

  it('accepts the { messages } data of a History and rejects a value that is neither', async () => {
    const lm = new ScriptedLM([{ answer: 'Rome' }]);
    const qa = new Predict('history: History, question -> answer', { lm });
    await qa.forward({ history: history.toJSON() as never, question: 'And of Italy?' });
    expect(turns(lm.requests[0]?.messages ?? []).slice(1)).toEqual(expected);
    const err = await qa.forward({ history: 'Paris' as never, question: 'q' }).catch((e: unknown) => e);
    expect(isDspyError(err, 'INPUT_INVALID')).toBe(true);
    expect(lm.requests).toHaveLength(1);
  });
});

describe('Predict with a History input over the test server', () => {
  let server: TestServer;
  const backing = new ScriptedLM([{ answer: 'Rome' }]);
  beforeAll(async () => {
    server = await startTestServer({ lm: backing });
  });
  afterAll(async () => {
    await server.close();
  });

  it('reaches the server through the openai client with the turns in order', async () => {
    const lm = new LM('openai/gpt-4o-mini', { baseURL: server.url, apiKey: 'k', cache: new MemoryCache(10) });
    const qa = new Predict('history: History, question -> answer', { lm });
    const out = await qa.forward({ history, question: 'And of Italy?' });
    expect(out.answer).toBe('Rome');
    expect(turns(backing.requests[0]?.messages ?? []).slice(1)).toEqual(expected);
  });
});
