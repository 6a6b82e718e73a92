import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter } from '../../src/internal.js';
import { attemptOptions, createRetryFetch } from '../../src/lm/transport.js';

const json = (status: number, headers: Record<string, string> = {}, body = '{"ok":true}') =>
  new Response(body, { status, headers: { 'content-type': 'application/json', ...headers } });

describe('backoff', () => {
  it('doubles from the base up to the cap, with at most 25% jitter down', () => {
    const p = { baseMs: 100, maxMs: 1000, maxRetryAfterMs: 5000 };
    expect(backoffDelay(p, 1, () => 0)).toBe(100);
    expect(backoffDelay(p, 3, () => 0)).toBe(400);
    expect(backoffDelay(p, 10, () => 0)).toBe(1000);
    expect(backoffDelay(p, 1, () => 1)).toBe(75);
    expect(DEFAULT_BACKOFF).toMatchObject({ baseMs: 500, maxMs: 8000, maxRetryAfterMs: 60000 });
  });

  it('reads retry-after-ms, Retry-After seconds and HTTP dates', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(parseRetryAfter(new Headers({ 'retry-after': new Date(11_000).toUTCString() }), 1_000)).toBe(
      10_000,
    );
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter(new Headers())).toBeUndefined();
  });
});

describe('retry fetch', () => {
  const policy = { baseMs: 10, maxMs: 40, maxRetryAfterMs: 50 };

  it('caps a long Retry-After and hands the SDK retry-after-ms instead', async () => {
    const f = createRetryFetch(policy, async () => json(429, { 'retry-after': '3600' }));
    const res = await f('http://x');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeNull();
    const ms = Number(res.headers.get('retry-after-ms'));
    expect(ms).toBeGreaterThanOrEqual(50);
    expect(ms).toBeLessThanOrEqual(55);
  });

  it('uses its own backoff when the server gives no Retry-After', async () => {
    const f = createRetryFetch(policy, async () => json(503));
    const ms = Number((await f('http://x')).headers.get('retry-after-ms'));
    expect(ms).toBeGreaterThanOrEqual(7.5);
    expect(ms).toBeLessThanOrEqual(10);
  });

  it('strips x-should-retry from 400/401/403/404 so they are never retried', async () => {
    for (const status of [400, 401, 403, 404]) {
      const f = createRetryFetch(policy, async () => json(status, { 'x-should-retry': 'true' }));
      expect((await f('http://x')).headers.get('x-should-retry')).toBeNull();
    }
  });

  it('turns connection errors and malformed 200s into retryable answers, counting attempts', async () => {
    const ctx = { attempts: 0 };
    let n = 0;
    const f = createRetryFetch(policy, async () => {
      n += 1;
      if (n === 1) throw new TypeError('fetch failed', { cause: new Error('ECONNRESET') });
      if (n === 2) return json(200, {}, '{"choices": [');
      return json(200);
    });
    const init = attemptOptions(ctx).fetchOptions as RequestInit;
    const statuses: [number, string | null][] = [];
    for (let i = 0; i < 3; i++) {
      const r = await f('http://x', init);
      statuses.push([r.status, r.headers.get('x-dspy-ts-fault')]);
    }
    expect(statuses).toEqual([
      [503, 'connection'],
      [502, 'malformed'],
      [200, null],
    ]);
    expect(ctx.attempts).toBe(3);
  });

  it('passes errors through untouched when the caller aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    const f = createRetryFetch(policy, async () => {
      throw new DOMException('aborted', 'AbortError');
    });
    const init = attemptOptions({ attempts: 0, signal: ac.signal }).fetchOptions as RequestInit;
    await expect(f('http://x', init)).rejects.toThrow('aborted');
  });
});
