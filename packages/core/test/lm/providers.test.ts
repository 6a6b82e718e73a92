import { afterEach, describe, expect, it, vi } from 'vitest';
import { isDspyError, LM, listProviders, resolveModel } from '../../src/index.js';
import { isReasoningModel } from '../../src/internal.js';
import { toWireParams, toWireResponseFormat } from '../../src/lm/params.js';

afterEach(() => vi.unstubAllEnvs());

describe('provider table', () => {
  it('covers the providers of the issue, each with a base URL variable and a key variable', () => {
    const names = listProviders().map((p) => p.name);
    for (const n of [
      'openai',
      'azure',
      'ollama',
      'vllm',
      'llamacpp',
      'lmstudio',
      'openrouter',
      'together',
      'groq',
      'deepseek',
      'fireworks',
      'gemini',
      'anthropic',
    ]) {
      expect(names).toContain(n);
    }
    for (const p of listProviders()) {
      expect(p.apiKeyEnv).toMatch(/^[A-Z_]+_API_KEY$/);
      expect(p.baseURLEnv).toMatch(/^[A-Z_]+_BASE_URL$/);
    }
  });

  it('splits provider/model, keeps slashes of the model, defaults bare names to OpenAI', () => {
    expect(resolveModel('openai/gpt-4o-mini', false)).toMatchObject({
      apiModel: 'gpt-4o-mini',
      fullName: 'openai/gpt-4o-mini',
      provider: { name: 'openai', baseURL: 'https://api.openai.com/v1' },
    });
    expect(resolveModel('openrouter/meta-llama/llama-3-8b', false).apiModel).toBe('meta-llama/llama-3-8b');
    expect(resolveModel('gpt-4o', false).fullName).toBe('openai/gpt-4o');
    expect(resolveModel('gemini/gemini-2.0-flash', false).provider.baseURL).toContain('generativelanguage');
    expect(resolveModel('acme/model-x', true)).toMatchObject({
      apiModel: 'acme/model-x',
      provider: { name: 'custom' },
    });
  });

  it('rejects an unknown provider without baseURL, listing the known ones', () => {
    try {
      resolveModel('acme/model-x', false);
      expect.unreachable();
    } catch (e) {
      expect(isDspyError(e, 'LM_CONFIG')).toBe(true);
      expect((e as Error).message).toContain('baseURL');
      expect((e as Error).message).toContain('ollama');
    }
  });

  it('knows which providers honour json_schema and lets the user override it', () => {
    expect(new LM('openai/gpt-4o-mini').supportsStructuredOutputs).toBe(true);
    expect(new LM('deepseek/deepseek-chat').supportsStructuredOutputs).toBe(false);
    expect(
      new LM('deepseek/deepseek-chat', { supportsStructuredOutputs: true }).supportsStructuredOutputs,
    ).toBe(true);
  });
});

describe('missing keys and base URLs', () => {
  it('a missing key is LM_AUTH naming the variable, at the first call', async () => {
    vi.stubEnv('GROQ_API_KEY', '');
    const lm = new LM('groq/llama-3.1-8b-instant');
    const err = await lm
      .call({ messages: [{ role: 'user', content: 'hi' }], cache: false })
      .catch((e: unknown) => e);
    expect(isDspyError(err, 'LM_AUTH')).toBe(true);
    expect((err as Error).message).toContain('Set GROQ_API_KEY or pass { apiKey }');
  });

  it('Azure without a base URL is LM_CONFIG naming AZURE_OPENAI_BASE_URL', async () => {
    vi.stubEnv('AZURE_OPENAI_BASE_URL', '');
    const lm = new LM('azure/gpt-4o-mini', { apiKey: 'k' });
    const err = await lm
      .call({ messages: [{ role: 'user', content: 'hi' }], cache: false })
      .catch((e: unknown) => e);
    expect(isDspyError(err, 'LM_CONFIG')).toBe(true);
    expect((err as Error).message).toContain('AZURE_OPENAI_BASE_URL');
  });

  it('rejects a bad maxConcurrency', () => {
    expect(() => new LM('openai/gpt-4o-mini', { maxConcurrency: 0 })).toThrow(/maxConcurrency/);
  });
});

describe('reasoning models and wire parameters', () => {
  it('recognises o1/o3/o4 and gpt-5 (not gpt-5 chat, not gpt-4o)', () => {
    for (const m of ['o1', 'o1-mini', 'o3-mini', 'o4-mini', 'gpt-5', 'gpt-5-mini', 'openai/o3']) {
      expect(isReasoningModel(m), m).toBe(true);
    }
    for (const m of ['gpt-4o', 'gpt-4o-mini', 'gpt-5-chat-latest', 'omni', 'llama3']) {
      expect(isReasoningModel(m), m).toBe(false);
    }
  });

  it('sends max_completion_tokens and no temperature other than 1 to reasoning models', () => {
    const rules = { apiModel: 'o3-mini', reasoning: true, supportsStructuredOutputs: true };
    expect(toWireParams({ temperature: 0.2, maxTokens: 5000 }, rules)).toEqual({
      model: 'o3-mini',
      max_completion_tokens: 5000,
    });
    expect(toWireParams({ temperature: 1 }, rules)).toEqual({ model: 'o3-mini', temperature: 1 });
    const chat = { apiModel: 'gpt-4o', reasoning: false, supportsStructuredOutputs: true };
    expect(
      toWireParams({ temperature: 0.2, maxTokens: 50, n: 3, stop: ['x'], extra: { seed: 7 } }, chat),
    ).toEqual({
      model: 'gpt-4o',
      temperature: 0.2,
      max_tokens: 50,
      n: 3,
      stop: ['x'],
      seed: 7,
    });
  });

  it('maps responseFormat to json_schema (strict) or to JSON mode', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const f = { type: 'json_schema' as const, name: 'QA output!', schema, strict: true };
    expect(toWireResponseFormat(f, true)).toEqual({
      type: 'json_schema',
      json_schema: { name: 'QA_output_', schema, strict: true },
    });
    expect(toWireResponseFormat(f, false)).toEqual({ type: 'json_object' });
    expect(toWireResponseFormat({ type: 'json_object' }, true)).toEqual({ type: 'json_object' });
    expect(toWireResponseFormat({ type: 'text' }, true)).toBeUndefined();
  });
});

describe('LM settings', () => {
  it('never include the key; include baseURL only when given and credential-free; keep extra parameters', () => {
    const lm = new LM('openai/gpt-4o-mini', {
      apiKey: 'sk-abc-123456',
      temperature: 0,
      maxTokens: 100,
      extra: { top_p: 0.9, api_token: 'tok-secret' },
    });
    const s = lm.settings();
    expect(s).toEqual({ model: 'openai/gpt-4o-mini', temperature: 0, maxTokens: 100, extra: { top_p: 0.9 } });
    expect(JSON.stringify(lm)).not.toContain('sk-abc-123456');
    expect(new LM('x/y', { baseURL: 'http://127.0.0.1:8000/v1' }).settings().baseURL).toBe(
      'http://127.0.0.1:8000/v1',
    );
    expect(new LM('x/y', { baseURL: 'https://u:p@host/v1' }).settings().baseURL).toBeUndefined();
    expect(new LM('x/y', { baseURL: 'https://host/v1?key=abc' }).settings().baseURL).toBeUndefined();
  });

  it('copy() changes options and keeps the model', () => {
    const lm = new LM('openai/gpt-4o-mini', { temperature: 0 });
    const hot = lm.copy({ temperature: 1 });
    expect(hot.model).toBe('openai/gpt-4o-mini');
    expect(hot.settings().temperature).toBe(1);
    expect(lm.settings().temperature).toBe(0);
  });
});
