import { type FaultKind, ScriptedLM, startTestServer, type TestServer } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type DspyErrorCode, isDspyError, LM } from '../../src/index.js';

const answerer = () => new ScriptedLM(() => ({ answer: 'Paris' }));
const FAST = { baseMs: 1, maxMs: 4 };
const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function server(faults: Parameters<typeof startTestServer>[0]['faults'], apiKey?: string) {
  const s = await startTestServer({ lm: answerer(), faults, apiKey });
  servers.push(s);
  return s;
}

const chatRequests = (s: TestServer) => s.requests.filter((r) => r.path.endsWith('/chat/completions'));

describe('LM reliability through the openai client against the test server', () => {
  it('1,000 calls with 20% mixed faults and numRetries 3 all succeed; retries are counted', async () => {
    // Ten lanes of 100 sequential calls, each against its own seeded server: every lane sees
    // the same faults in the same order on every run.
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const lanes = await Promise.all(
      seeds.map(async (seed) => {
        const s = await server({ rate: 0.2, seed, retryAfterSeconds: 0.001 });
        const lm = new LM('openai/gpt-4o-mini', {
          baseURL: s.url,
          apiKey: 'k',
          numRetries: 3,
          cache: false,
          backoff: FAST,
        });
        const texts: string[] = [];
        for (let i = 0; i < 100; i++) {
          const r = await lm.call({ messages: [{ role: 'user', content: `question ${seed}-${i}` }] });
          texts.push(r.text);
        }
        return { s, lm, texts };
      }),
    );
    let retries = 0;
    let faults = 0;
    let requests = 0;
    const kinds = new Set<FaultKind>();
    for (const { s, lm, texts } of lanes) {
      expect(texts).toHaveLength(100);
      for (const t of texts) expect(t).toContain('Paris');
      const chats = chatRequests(s);
      const injected = chats.filter((r) => r.outcome.fault !== null);
      for (const r of injected) kinds.add(r.outcome.fault as FaultKind);
      expect(lm.stats.requests).toBe(chats.length);
      expect(lm.stats.retries).toBe(injected.length);
      expect(lm.stats.failures).toBe(0);
      retries += lm.stats.retries;
      faults += injected.length;
      requests += chats.length;
    }
    expect(requests).toBe(1000 + retries);
    expect(retries).toBe(faults);
    expect(faults / requests).toBeGreaterThan(0.12);
    expect([...kinds].sort()).toEqual(['429', '500', '503', 'malformed', 'reset', 'truncated']);
  }, 60_000);

  const always: [FaultKind, DspyErrorCode, number | undefined][] = [
    ['429', 'LM_RATE_LIMIT', 429],
    ['500', 'LM_SERVER', 500],
    ['503', 'LM_SERVER', 503],
    ['reset', 'LM_CONNECTION', undefined],
    ['malformed', 'LM_SERVER', undefined],
    ['truncated', 'LM_CONNECTION', undefined],
    ['hang', 'LM_TIMEOUT', undefined],
  ];
  for (const [kind, code, status] of always) {
    it(`fault "${kind}" on every attempt: ${code} after 1 + numRetries attempts, saying what to do`, async () => {
      const s = await server({ always: kind, retryAfterSeconds: 0.001 });
      const lm = new LM('openai/gpt-4o-mini', {
        baseURL: s.url,
        apiKey: 'k',
        numRetries: 2,
        timeoutMs: 150,
        cache: false,
        backoff: FAST,
      });
      const err = await lm.call({ messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
      expect(isDspyError(err, code)).toBe(true);
      if (!isDspyError(err)) return;
      expect(err.details).toMatchObject({
        provider: 'openai',
        model: 'openai/gpt-4o-mini',
        attempts: 3,
        status,
      });
      expect(err.message).toContain('openai/gpt-4o-mini');
      expect(err.message).toContain('after 3 attempts');
      expect(err.message).toContain('How to fix:');
      expect(chatRequests(s)).toHaveLength(3);
    });
  }

  it('does not retry 401: LM_AUTH names the key variable', async () => {
    const s = await server(undefined, 'right-key');
    const lm = new LM('openai/gpt-4o-mini', {
      baseURL: s.url,
      apiKey: 'wrong-key-123',
      cache: false,
      backoff: FAST,
    });
    const err = await lm.call({ messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(isDspyError(err, 'LM_AUTH')).toBe(true);
    expect(String((err as Error).message)).toContain('OPENAI_API_KEY');
    expect(String((err as Error).message)).not.toContain('wrong-key-123');
    expect((err as { details: { attempts: number; status: number } }).details).toMatchObject({
      attempts: 1,
      status: 401,
    });
    expect(chatRequests(s)).toHaveLength(1);
  });

  it('does not retry 404 (LM_NOT_FOUND) or 400 (LM_BAD_REQUEST)', async () => {
    const s = await server(undefined);
    const wrongPath = new LM('openai/gpt-4o-mini', {
      baseURL: s.url.replace(/\/v1$/, '/nope'),
      apiKey: 'k',
      cache: false,
      backoff: FAST,
    });
    const notFound = await wrongPath
      .call({ messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(isDspyError(notFound, 'LM_NOT_FOUND')).toBe(true);
    expect(wrongPath.stats.requests).toBe(1);
    const lm = new LM('openai/gpt-4o-mini', { baseURL: s.url, apiKey: 'k', cache: false, backoff: FAST });
    const bad = await lm.call({ messages: [] }).catch((e: unknown) => e);
    expect(isDspyError(bad, 'LM_BAD_REQUEST')).toBe(true);
    expect(lm.stats.requests).toBe(1);
  });

  it('recovers from a short sequence of faults and reports the attempts on the response', async () => {
    const s = await server({ sequence: ['429', 'reset', 'malformed', null], retryAfterSeconds: 0.001 });
    const lm = new LM('openai/gpt-4o-mini', { baseURL: s.url, apiKey: 'k', cache: false, backoff: FAST });
    const r = await lm.call({ messages: [{ role: 'user', content: 'hi' }] });
    expect(r.text).toContain('Paris');
    expect(r.attempts).toBe(4);
    expect(lm.stats).toMatchObject({ requests: 4, retries: 3, failures: 0 });
  });
});
