// The check of a request's tools on the web entry: loaded by the first call (or cache lookup)
// with tools; before that the synchronous effectiveParams of such a request says what to do.
import { describe, expect, it, vi } from 'vitest';
import type { LMRequest } from '../../src/lm/types.js';

/** Fresh copies of the LM modules, as the web entry has them: the tools check not loaded. */
async function webLM(): Promise<typeof import('../../src/lm/index.js')> {
  vi.resetModules();
  return import('../../src/lm/index.js');
}

const search = {
  name: 'search',
  description: 'Searches the web.',
  parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
};

describe('the tools check of an LM request (web entry)', () => {
  it('is not needed by a request without tools', async () => {
    const { LM } = await webLM();
    const lm = new LM('my-model', { baseURL: 'http://127.0.0.1:9/v1', cache: false });
    expect(lm.effectiveParams({ messages: [], toolChoice: 'auto' }).tools).toBeUndefined();
  });

  it('fails with NOT_LOADED saying how to load it before a call loaded it', async () => {
    const { LM } = await webLM();
    const lm = new LM('my-model', { baseURL: 'http://127.0.0.1:9/v1', cache: false });
    expect(() => lm.effectiveParams({ messages: [], tools: [search] })).toThrow(
      expect.objectContaining({ code: 'NOT_LOADED', message: expect.stringContaining('not loaded yet') }),
    );
  });

  it('loads with the first asynchronous use, then checks tools as before', async () => {
    const { LM, MemoryCache } = await webLM();
    const lm = new LM('my-model', { baseURL: 'http://127.0.0.1:9/v1', cache: new MemoryCache(10) });
    const request: LMRequest = { messages: [{ role: 'user', content: 'hi' }], tools: [search] };
    expect(await lm.cached(request)).toBe(false);
    expect(lm.effectiveParams(request).tools).toEqual([search]);
    expect(() => lm.effectiveParams({ ...request, tools: [search, search] })).toThrow(
      expect.objectContaining({
        code: 'LM_CONFIG',
        message: expect.stringContaining("two tools are named 'search'"),
      }),
    );
    // A tool choice naming no tool is checked even without tools, as before.
    await expect(lm.call({ messages: [], toolChoice: 'required' })).rejects.toMatchObject({
      code: 'LM_CONFIG',
      message: expect.stringContaining('needs tools'),
    });
  });
});
