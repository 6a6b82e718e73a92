import type { LanguageModel, LMRequest, LMResponse } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';
import { ScriptedLM, startTestServer } from '../../src/index.js';

const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });

function post(url: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${url}/chat/completions`, { method: 'POST', body, signal });
}

/** A model that reports each call and answers when `release` is called. */
function gatedLM(): { lm: LanguageModel; called: Promise<LMRequest>; release: () => void } {
  let onCall!: (r: LMRequest) => void;
  let open!: () => void;
  const called = new Promise<LMRequest>((resolve) => (onCall = resolve));
  const gate = new Promise<void>((resolve) => (open = resolve));
  const inner = new ScriptedLM(() => 'gated answer');
  const lm: LanguageModel = {
    model: 'gated',
    async call(request): Promise<LMResponse> {
      onCall(request);
      await gate;
      return inner.call(request);
    },
  };
  return { lm, called, release: open };
}

describe('startTestServer: latency', () => {
  it('asks the model as the request arrives, not after the latency', async () => {
    const { lm, called, release } = gatedLM();
    await using server = await startTestServer({ lm, latencyMs: 60_000 });
    const ac = new AbortController();
    const pending = post(server.url, ac.signal).catch((e: unknown) => e);
    // With a minute of latency, the model is reached long before any answer could leave.
    const request = await called;
    expect(request.messages[0]?.content).toBe('hi');
    expect(server.requests[0]?.outcome.status).toBeUndefined();
    release();
    ac.abort();
    expect(await pending).toMatchObject({ name: 'AbortError' });
  });

  it('sends an answer that took longer than the latency as soon as it is ready', async () => {
    const { lm, called, release } = gatedLM();
    await using server = await startTestServer({ lm, latencyMs: 5 });
    const pending = post(server.url);
    await called;
    await new Promise((r) => setTimeout(r, 30));
    expect(server.requests[0]?.outcome.status).toBeUndefined();
    release();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('gated answer');
  });

  it('sets no timer for an answer the model gives after the server closed', async () => {
    const { lm, called, release } = gatedLM();
    const server = await startTestServer({ lm, latencyMs: 60_000 });
    const pending = post(server.url).catch((e: unknown) => e);
    await called;
    await server.close();
    const handles = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = handles();
    release();
    await new Promise((r) => setImmediate(r));
    expect(handles()).toBe(before);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('keeps each answer at least close to its latency', async () => {
    await using server = await startTestServer({ lm: new ScriptedLM(() => 'ok'), latencyMs: 25 });
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const res = await post(server.url);
      await res.text();
      // A timer may start up to 1 ms early to make up for firing late on average, and Node's
      // clock has whole milliseconds: an answer may leave a little before 25 ms, never much.
      expect(performance.now() - t0).toBeGreaterThanOrEqual(21);
    }
  });
});
