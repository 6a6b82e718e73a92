import { OfflineLM, startTestServer } from '@dspy-ts/testing';
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_KEY, resolveLM } from '../../src/lm.js';

const request = { messages: [{ role: 'user' as const, content: 'hello' }], cache: false };

describe('--lm with --base-url', () => {
  it('needs no key in the environment: the client sends a placeholder', async () => {
    await using server = await startTestServer({ lm: new OfflineLM(), apiKey: PLACEHOLDER_KEY });
    const resolved = resolveLM({ flag: 'openai/x', baseURL: server.url, env: {} });
    const res = await resolved.lm.call(request);
    expect(typeof res.text).toBe('string');
    expect(server.requests[0]?.hasAuth).toBe(true);
    expect(server.requests[0]?.outcome.status).toBe(200);
  });

  it("sends the provider's key when the environment has one", async () => {
    await using server = await startTestServer({ lm: new OfflineLM(), apiKey: 'real-key' });
    const resolved = resolveLM({
      flag: 'openai/x',
      baseURL: server.url,
      env: { OPENAI_API_KEY: 'real-key' },
    });
    const saved = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = 'real-key';
    try {
      await resolved.lm.call(request);
    } finally {
      if (saved === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved;
    }
    expect(server.requests[0]?.outcome.status).toBe(200);
  });

  it('without --base-url, a missing key stops before any call, naming the variable', () => {
    const fail = () => resolveLM({ flag: 'openai/gpt-4o-mini', env: {} });
    expect(fail).toThrow(/--lm openai\/gpt-4o-mini: OPENAI_API_KEY is not set/);
    expect(fail).toThrow(expect.objectContaining({ code: 'LM_CONFIG' }));
    expect(() => resolveLM({ flag: 'openai/gpt-4o-mini', env: { OPENAI_API_KEY: ' ' } })).toThrow(
      /OPENAI_API_KEY/,
    );
    expect(resolveLM({ flag: 'openai/gpt-4o-mini', env: { OPENAI_API_KEY: 'k' } }).name).toBe(
      'openai/gpt-4o-mini',
    );
  });
});

describe('--lm with an unknown provider', () => {
  it('says to add --base-url, in the command line’s terms', () => {
    expect(() => resolveLM({ flag: 'nope/x', env: {} })).toThrow(/--lm nope\/x: .*unknown provider "nope"/);
    expect(() => resolveLM({ flag: 'nope/x', env: {} })).toThrow(/add --base-url http:\/\/host:port\/v1/);
  });
});
