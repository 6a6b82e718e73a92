import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('a History inside saved demos', () => {
  it('is saved as { messages } and loads back to the same prompt', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'dspy-history-')), 'qa.json');
    const qa = new Predict('history: History, question -> answer');
    qa.demos = [{ history, question: 'And of Spain?', answer: 'Madrid' }];
    await qa.save(path);
    const saved = JSON.parse(await readFile(path, 'utf8'));
    expect(JSON.stringify(saved)).toContain(
      '"history":{"messages":[{"question":"Capital of France?","answer":"Paris"}]}',
    );
    const loaded = new Predict('history: History, question -> answer');
    await loaded.load(path);
    const lm = new ScriptedLM([{ answer: 'Rome' }, { answer: 'Rome' }]);
    await qa.forward({ history, question: 'And of Italy?' }, { lm });
    await loaded.forward({ history, question: 'And of Italy?' }, { lm });
    expect(lm.requests[1]?.messages).toEqual(lm.requests[0]?.messages);
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
