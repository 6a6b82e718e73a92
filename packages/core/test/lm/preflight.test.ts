import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DspyError,
  Example,
  evaluate,
  exactMatch,
  LM,
  MemoryCache,
  Predict,
  withSettings,
} from '../../src/index.js';
import { preflightProgram } from '../../src/internal.js';
import { type ErrorServer, errorServer } from './helpers/error-server.js';

let server: ErrorServer;
let url: string;

beforeAll(async () => {
  // Refuses every key.
  server = await errorServer(() => ({
    status: 401,
    body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } },
  }));
  url = server.url;
});

afterAll(() => server.close());

afterEach(() => vi.unstubAllEnvs());

function thrown(fn: () => unknown): DspyError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DspyError) return err;
    throw err;
  }
  throw new Error('nothing was thrown');
}

const devset = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    new Example({ question: `q${i}`, answer: `a${i}` }).withInputs('question'),
  );

describe('lm.preflight()', () => {
  it('throws LM_AUTH naming the key variable when the provider needs a key and none is set', () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    const err = thrown(() => new LM('openai/gpt-4o-mini').preflight());
    expect(err.code).toBe('LM_AUTH');
    expect(err.details.fix).toContain('OPENAI_API_KEY');
    vi.stubEnv('OPENAI_API_KEY', 'sk-from-env-0123456789');
    expect(() => new LM('openai/gpt-4o-mini').preflight()).not.toThrow();
    expect(() => new LM('ollama/llama3.2').preflight()).not.toThrow();
  });

  it('throws LM_CONFIG for a provider without a base URL and for a base URL without a scheme', () => {
    vi.stubEnv('AZURE_OPENAI_BASE_URL', '');
    expect(thrown(() => new LM('azure/gpt-4o', { apiKey: 'k' }).preflight()).message).toContain(
      'no base URL',
    );
    const bare = thrown(() => new LM('vllm/m', { baseURL: 'localhost:8000/v1' }).preflight());
    expect(bare.code).toBe('LM_CONFIG');
    expect(bare.details.fix).toContain('http://');
  });

  it('a model name missing after the provider is refused at construction', () => {
    const err = thrown(() => new LM('openai/'));
    expect(err.code).toBe('LM_CONFIG');
    expect(err.message).toContain('no model name');
  });
});

describe('a refused key', () => {
  it('is sent once: later calls and preflight fail with LM_AUTH without a request; a copy with a new key tries again', async () => {
    const lm = new LM('openai/gpt-4o-mini', { baseURL: url, apiKey: 'wrong', cache: false, numRetries: 3 });
    const before = server.hits;
    const call = () => lm.call({ messages: [{ role: 'user', content: 'hi' }] });
    await expect(call()).rejects.toMatchObject({ code: 'LM_AUTH', details: { status: 401, attempts: 1 } });
    await expect(call()).rejects.toThrow(/refused by an earlier call/);
    expect(thrown(() => lm.preflight()).code).toBe('LM_AUTH');
    expect(server.hits - before).toBe(1);
    await expect(
      lm.copy({ apiKey: 'other' }).call({ messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toThrow(/status 401 after 1 attempt/);
    expect(server.hits - before).toBe(2);
  });
});

describe('evaluate fails fast on an LM that cannot work', () => {
  it('a missing key: one LM_AUTH before the first example, no call made', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    const lm = new LM('openai/gpt-4o-mini', { cache: false });
    const qa = new Predict('question -> answer', { lm });
    const run = evaluate(qa, devset(11), exactMatch, { progress: false });
    await expect(run).rejects.toMatchObject({ code: 'LM_AUTH' });
    expect(lm.stats.failures).toBe(0);
    await expect(
      withSettings({ lm }, () => preflightProgram(new Predict('question -> answer'))),
    ).rejects.toThrow(/OPENAI_API_KEY/);
  });

  it('a key the provider refuses: the run stops at the first LM_AUTH instead of spending its error budget', async () => {
    const lm = new LM('openai/gpt-4o-mini', { baseURL: url, apiKey: 'wrong', cache: new MemoryCache(10) });
    const qa = new Predict('question -> answer', { lm });
    const before = server.hits;
    const run = evaluate(qa, devset(11), exactMatch, { progress: false, concurrency: 1, maxErrors: 20 });
    await expect(run).rejects.toMatchObject({ code: 'LM_AUTH' });
    expect(server.hits - before).toBe(1);
  });

  it('a model the provider does not have: the run stops at the first LM_NOT_FOUND, and the name is not sent again', async () => {
    const missing = await errorServer(() => ({
      status: 404,
      body: { error: { message: 'The model `gpt-4o-mni` does not exist', code: 'model_not_found' } },
    }));
    try {
      const lm = new LM('openai/gpt-4o-mni', { baseURL: missing.url, apiKey: 'k', cache: false });
      const qa = new Predict('question -> answer', { lm });
      const run = evaluate(qa, devset(30), exactMatch, { progress: false, concurrency: 1, maxErrors: 20 });
      await expect(run).rejects.toMatchObject({ code: 'LM_NOT_FOUND' });
      expect(missing.hits).toBe(1);
      await expect(qa.forward({ question: 'again?' })).rejects.toMatchObject({
        code: 'LM_NOT_FOUND',
        message: expect.stringContaining('not sent again'),
      });
      expect(missing.hits).toBe(1);
    } finally {
      await missing.close();
    }
  });
});
