import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScriptedLM, startTestServer, type TestServer } from '@dspy-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callLM,
  isDspyError,
  LM,
  type LMResponse,
  MemoryCache,
  streamLM,
  trackUsage,
  withSettings,
} from '../../src/index.js';

let server: TestServer;
let slow: TestServer;
const scripted = new ScriptedLM((req) => ({ answer: `echo ${req.messages.at(-1)?.content ?? ''}` }));
const messages = (content: string) => [{ role: 'user' as const, content }];
const chats = (s: TestServer) => s.requests.filter((r) => r.path.endsWith('/chat/completions'));

beforeAll(async () => {
  server = await startTestServer({ lm: scripted });
  slow = await startTestServer({ lm: scripted, latencyMs: 30 });
});
afterAll(async () => {
  await server.close();
  await slow.close();
});

const make = (opts: ConstructorParameters<typeof LM>[1] = {}, s = server) =>
  new LM('openai/gpt-4o-mini', { baseURL: s.url, apiKey: 'k', cache: new MemoryCache(100), ...opts });

describe('LM over the test server', () => {
  it('caches: a hit is a fresh copy with zero usage, cost 0 and cacheHit; cache:false and rolloutId bypass it', async () => {
    const lm = make();
    const before = chats(server).length;
    const a = await lm.call({ messages: messages('cache me') });
    const b = await lm.call({ messages: messages('cache me') });
    expect(a.cacheHit).toBe(false);
    expect(a.usage.totalTokens).toBeGreaterThan(0);
    expect(b).toMatchObject({ cacheHit: true, cost: 0, attempts: 0, text: a.text });
    expect(b.usage).toEqual({ promptTokens: 0, completionTokens: 0, totalTokens: 0 });
    await lm.call({ messages: messages('cache me'), cache: false });
    await lm.call({ messages: messages('cache me'), rolloutId: 2 });
    expect(chats(server).length - before).toBe(3);
    expect(lm.usage).toMatchObject({ calls: 4, cacheHits: 1 });
  });

  it('single-flight: identical requests in flight are sent once, each caller gets its own copy', async () => {
    const lm = make({}, slow);
    const before = chats(slow).length;
    const all = await Promise.all(Array.from({ length: 10 }, () => lm.call({ messages: messages('same') })));
    expect(chats(slow).length - before).toBe(1);
    expect(new Set(all).size).toBe(10);
    expect(new Set(all.map((r) => r.choices)).size).toBe(10);
    expect(all.filter((r) => !r.cacheHit)).toHaveLength(1);
    expect(lm.stats.shared).toBe(9);
    const fresh = await Promise.all(
      Array.from({ length: 3 }, () => lm.call({ messages: messages('same'), cache: false })),
    );
    expect(fresh.every((r) => !r.cacheHit)).toBe(true);
    expect(chats(slow).length - before).toBe(4);
  });

  it('maxConcurrency bounds the requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const lm = make(
      {
        maxConcurrency: 3,
        cache: false,
        fetch: async (input, init) => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          try {
            return await fetch(input, init);
          } finally {
            inFlight -= 1;
          }
        },
      },
      slow,
    );
    await Promise.all(Array.from({ length: 12 }, (_, i) => lm.call({ messages: messages(`c${i}`) })));
    expect(peak).toBe(3);
    expect(lm.stats.requests).toBe(12);
  });

  it('sends the wire body: model, max_completion_tokens for reasoning models, response_format, extra', async () => {
    const o3 = new LM('openai/o3-mini', {
      baseURL: server.url,
      apiKey: 'k',
      cache: false,
      maxTokens: 900,
      extra: { seed: 3 },
    });
    const warnings: string[] = [];
    const capture = { debug() {}, info() {}, warn: (m: string) => warnings.push(m) };
    await withSettings({ logger: capture }, () =>
      o3.call({
        messages: messages('wire'),
        temperature: 0.3,
        responseFormat: { type: 'json_schema', name: 'Out', schema: { type: 'object' }, strict: true },
      }),
    );
    expect(warnings.join('\n')).toContain('temperature is not sent');
    const body = chats(server).at(-1)?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      model: 'o3-mini',
      max_completion_tokens: 900,
      seed: 3,
      response_format: { type: 'json_schema', json_schema: { name: 'Out', strict: true } },
    });
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('max_tokens');
    expect(chats(server).at(-1)?.hasAuth).toBe(true);
  });

  it('streams deltas and then the whole response with usage; a second stream is a cache hit', async () => {
    const lm = make();
    let text = '';
    let final: LMResponse | undefined;
    for await (const c of streamLM(lm, { messages: messages('stream me') })) {
      if (c.response) final = c.response;
      else text += c.delta;
    }
    expect(final?.text).toBe(text);
    expect(final?.cacheHit).toBe(false);
    expect(text).toContain('echo stream me');
    const again = [];
    for await (const c of lm.stream({ messages: messages('stream me') })) again.push(c);
    expect(again.at(-1)?.response?.cacheHit).toBe(true);
  });

  it('n completions come back as choices', async () => {
    const lm = make({ cache: false });
    const r = await lm.call({ messages: messages('many'), n: 3 });
    expect(r.choices).toHaveLength(3);
    expect(r.text).toBe(r.choices[0]);
  });

  it('an empty completion is LM_EMPTY', async () => {
    await using empty = await startTestServer({ lm: new ScriptedLM(() => '   ', { format: 'chat' }) });
    const lm = new LM('openai/gpt-4o-mini', { baseURL: empty.url, apiKey: 'k', cache: false });
    const err = await lm.call({ messages: messages('nothing') }).catch((e: unknown) => e);
    expect(isDspyError(err, 'LM_EMPTY')).toBe(true);
  });

  it('callLM + trackUsage see the real token counts of LM calls', async () => {
    const lm = make({ cache: false });
    const { result, usage } = await trackUsage(() => callLM(lm, { messages: messages('count') }));
    expect(usage.totalTokens).toBe(result.usage.totalTokens);
    expect(usage.cost).toBeGreaterThan(0);
  });
});

describe('aborting', () => {
  it("a caller's abort signal ends the call with LM_ABORTED and no retries", async () => {
    await using hang = await startTestServer({ lm: scripted, faults: { always: 'hang' } });
    const lm = new LM('openai/gpt-4o-mini', { baseURL: hang.url, apiKey: 'k', cache: false, numRetries: 3 });
    const ac = new AbortController();
    const pending = lm.call({ messages: messages('stop me'), signal: ac.signal }).catch((e: unknown) => e);
    setTimeout(() => ac.abort(), 50);
    const err = await pending;
    expect(isDspyError(err, 'LM_ABORTED')).toBe(true);
    expect(lm.stats.requests).toBe(1);
  });

  it('a streaming call is aborted by the caller the same way', async () => {
    await using hang = await startTestServer({ lm: scripted, faults: { always: 'hang' } });
    const lm = new LM('openai/gpt-4o-mini', { baseURL: hang.url, apiKey: 'k', cache: false, numRetries: 3 });
    const ac = new AbortController();
    const pending = (async () => {
      for await (const _ of lm.stream({ messages: messages('stop my stream'), signal: ac.signal })) void _;
    })().catch((e: unknown) => e);
    while (hang.received < 1) await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    const err = await pending;
    expect(isDspyError(err, 'LM_ABORTED')).toBe(true);
    expect(hang.received).toBe(1);
  });

  it('a stream aborted mid-body ends with LM_ABORTED, not with the part that came', async () => {
    // One chunk of an answer, then nothing more: the caller aborts while the body is open.
    const stalled = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm' };
      res.write(
        `data: ${JSON.stringify({ ...chunk, choices: [{ index: 0, delta: { content: 'Par' } }] })}\n\n`,
      );
    });
    await new Promise<void>((r) => stalled.listen(0, '127.0.0.1', r));
    const { port } = stalled.address() as AddressInfo;
    try {
      const cache = new MemoryCache(10);
      const lm = new LM('openai/gpt-4o-mini', { baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'k', cache });
      const ac = new AbortController();
      const deltas: string[] = [];
      const err = await (async () => {
        for await (const chunk of lm.stream({ messages: messages('stall'), signal: ac.signal })) {
          deltas.push(chunk.delta);
          if (chunk.delta) ac.abort();
        }
      })().catch((e: unknown) => e);
      expect(deltas).toEqual(['Par']);
      expect(isDspyError(err, 'LM_ABORTED')).toBe(true);
      expect(cache.size).toBe(0);
    } finally {
      stalled.closeAllConnections();
      await new Promise((r) => stalled.close(r));
    }
  });

  it('an abort during the wait before a retry ends the call then, not after the wait', async () => {
    await using flaky = await startTestServer({
      lm: scripted,
      faults: { sequence: ['503'], retryAfterSeconds: 5 },
    });
    const lm = new LM('openai/gpt-4o-mini', { baseURL: flaky.url, apiKey: 'k', cache: false, numRetries: 2 });
    const ac = new AbortController();
    const pending = lm.call({ messages: messages('retry me'), signal: ac.signal }).catch((e: unknown) => e);
    while (flaky.received < 1) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    ac.abort();
    // The server asked for a 5 s wait; the abort must not wait for it.
    const stillWaiting = new Promise((r) => setTimeout(() => r('still waiting'), 2_000).unref());
    const err = await Promise.race([pending, stillWaiting]);
    expect(isDspyError(err, 'LM_ABORTED')).toBe(true);
    expect(flaky.received).toBe(1);
  });

  it('leaves no finished call to be aborted, and the SDK hands fetch a real AbortSignal of its own', async () => {
    await using srv = await startTestServer({ lm: scripted, faults: { sequence: [null, null, '500'] } });
    const seen: AbortSignal[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      expect(init?.signal).toBeInstanceOf(AbortSignal);
      if (init?.signal) seen.push(init.signal);
      return globalThis.fetch(input, init);
    };
    const lm = new LM('openai/gpt-4o-mini', {
      baseURL: srv.url,
      apiKey: 'k',
      cache: false,
      numRetries: 0,
      fetch,
    });
    const ac = new AbortController();
    const outcomes = await Promise.all(
      ['one', 'two', 'three', 'four'].map((q) =>
        lm.call({ messages: messages(q), signal: ac.signal }).then(
          () => 'ok',
          (e: unknown) => (isDspyError(e) ? e.code : 'other'),
        ),
      ),
    );
    for await (const _ of lm.stream({ messages: messages('five'), signal: ac.signal })) void _;
    expect(outcomes.sort()).toEqual(['LM_SERVER', 'ok', 'ok', 'ok']);
    expect(seen).toHaveLength(5);
    ac.abort();
    expect(seen.filter((s) => s.aborted)).toHaveLength(0);
  });

  it('a signal aborted before the call sends no request', async () => {
    await using srv = await startTestServer({ lm: scripted });
    const lm = new LM('openai/gpt-4o-mini', { baseURL: srv.url, apiKey: 'k', cache: false });
    const err = await lm
      .call({ messages: messages('too late'), signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(isDspyError(err, 'LM_ABORTED')).toBe(true);
    expect(srv.received).toBe(0);
  });
});

describe('streaming under faults', () => {
  it('retries a failed stream opening, then streams; a stream cut mid-way is LM_CONNECTION', async () => {
    await using flaky = await startTestServer({
      lm: scripted,
      faults: { sequence: ['503', '503', null, 'truncated'], retryAfterSeconds: 0.001 },
    });
    const lm = new LM('openai/gpt-4o-mini', {
      baseURL: flaky.url,
      apiKey: 'k',
      cache: false,
      numRetries: 0,
      backoff: { baseMs: 1 },
    });
    const noRetry = await (async () => {
      for await (const _ of lm.stream({ messages: messages('s1') })) void _;
    })().catch((e: unknown) => e);
    expect(isDspyError(noRetry, 'LM_SERVER')).toBe(true);
    const retrying = lm.copy({ numRetries: 2 });
    let text = '';
    for await (const c of retrying.stream({ messages: messages('s2') })) text += c.delta;
    expect(text).toContain('echo s2');
    expect(retrying.stats).toMatchObject({ requests: 2, retries: 1 });
    const cut = await (async () => {
      for await (const _ of retrying.stream({ messages: messages('s3') })) void _;
    })().catch((e: unknown) => e);
    expect(isDspyError(cut, 'LM_CONNECTION')).toBe(true);
  });
});
