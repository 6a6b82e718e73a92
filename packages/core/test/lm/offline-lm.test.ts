import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  configure,
  DspyError,
  Example,
  getHistory,
  LM,
  type LMRequest,
  MemoryCache,
  Predict,
  signature,
} from '../../src/index.js';
import { resetSettings } from '../../src/internal.js';

const CAPITALS = [
  new Example({ question: 'What is the capital of France?', answer: 'Paris' }),
  new Example({ question: 'What is the capital of Japan?', answer: 'Tokyo' }),
];

/** A chat-format request asking for `answer`, with one demo, as the chat adapter writes it. */
function request(question: string): LMRequest {
  const system = [
    'Your input fields are:',
    '1. `question` (string)',
    'Your output fields are:',
    '1. `answer` (string)',
  ].join('\n');
  return {
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: '[[ ## question ## ]]\nWhat is the capital of Japan?' },
      { role: 'assistant', content: '[[ ## answer ## ]]\nTokyo\n\n[[ ## completed ## ]]' },
      { role: 'user', content: `[[ ## question ## ]]\n${question}` },
    ],
  };
}

describe("new LM('offline')", () => {
  beforeEach(() => {
    // Without a key, any other spelling of the model would fail with LM_AUTH before a request.
    vi.stubEnv('OPENAI_API_KEY', '');
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    resetSettings();
  });

  it('is the offline default: no provider key, no endpoint, safe settings', () => {
    const lm = new LM('offline');
    expect(lm.model).toBe('offline');
    expect(lm.provider).toBe('offline');
    expect(lm.settings()).toEqual({ model: 'offline' });
    expect(lm.copy({ temperature: 0.5 }).settings()).toEqual({ model: 'offline', temperature: 0.5 });
  });

  it('answers a program from the demos in its prompt, with usage and history', async () => {
    const lm = new LM('offline');
    configure({ lm });
    const qa = new Predict(signature('question: string -> answer: string'));
    qa.demos = CAPITALS.map((e) => e.toJSON());
    const prediction = await qa.forward({ question: 'What is the capital of France, please?' });
    expect(prediction.answer).toBe('Paris');
    expect(lm.usage.calls).toBe(1);
    expect(lm.usage.totalTokens).toBeGreaterThan(0);
    const [last] = getHistory(1);
    expect(last?.model).toBe('offline');
    expect(last?.choices[0]).toContain('Paris');
  });

  it('answers tool-calling requests with tool calls (and in text when told the model has none)', async () => {
    const lm = new LM('offline');
    expect(lm.supportsToolCalls).toBe(true);
    const parameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const tools = [{ name: 'weather', description: 'The weather of a city.', parameters }];
    const r = await lm.call({ ...request('What is the weather in Paris?'), tools });
    expect(r.finishReason).toBe('tool_calls');
    expect(r.toolCalls?.map((c) => [c.name, c.arguments])).toEqual([['weather', { city: 'Paris' }]]);
    expect(new LM('offline', { supportsToolCalls: false }).supportsToolCalls).toBe(false);
  });

  it('uses no cache unless given one', async () => {
    const plain = new LM('offline');
    await plain.call(request('Capital of Japan?'));
    expect((await plain.call(request('Capital of Japan?'))).cacheHit).toBe(false);
    const cached = new LM('offline', { cache: new MemoryCache(10) });
    const first = await cached.call(request('Capital of Japan?'));
    const second = await cached.call(request('Capital of Japan?'));
    expect([first.cacheHit, second.cacheHit]).toEqual([false, true]);
    expect(second.text).toBe(first.text);
  });

  it('streams the same text it answers', async () => {
    const lm = new LM('offline');
    const answer = await lm.call(request('Capital of Japan?'));
    let text = '';
    for await (const chunk of lm.stream(request('Capital of Japan?'))) text += chunk.delta;
    expect(text).toBe(answer.text);
    expect(answer.text).toContain('Tokyo');
  });

  it('refuses a baseURL, saying how to reach a served model of that name', () => {
    const thrown = (() => {
      try {
        new LM('offline', { baseURL: 'http://127.0.0.1:9/v1' });
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(DspyError);
    expect(thrown).toMatchObject({ code: 'LM_CONFIG' });
    expect((thrown as DspyError).details?.fix).toContain("'openai/offline'");
  });
});
