import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ScriptedLM, startRedisServer, startTestServer } from '@dspy-ts/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  configureCache,
  DiskCache,
  isDspyError,
  LM,
  MemoryCache,
  RedisCache,
  TieredCache,
  withSettings,
} from '../../src/index.js';
import { getDefaultCache, resetCacheConfig } from '../../src/internal.js';
import { describeCacheContract, entry, keyOf } from './cache-contract.js';

function redisUrl(): string {
  const url = process.env.DSPY_TS_TEST_REDIS_URL;
  if (!url) throw new Error('DSPY_TS_TEST_REDIS_URL is not set: the vitest global setup starts redis-server');
  return url;
}

/** Generous per-op timeout: a loaded test machine must not turn a healthy server into an outage. */
const TIMEOUT_MS = 5_000;

let prefixes = 0;
/** A key prefix of its own per cache, so tests sharing the server never see each other's keys. */
function prefix(): string {
  prefixes += 1;
  return `dspy-ts-test:${process.pid}:${prefixes}:`;
}

const opened: RedisCache[] = [];
function redisCache(options: Partial<ConstructorParameters<typeof RedisCache>[0]> = {}): RedisCache {
  const cache = new RedisCache({ url: redisUrl(), keyPrefix: prefix(), timeoutMs: TIMEOUT_MS, ...options });
  opened.push(cache);
  return cache;
}
async function closeAll(): Promise<void> {
  await Promise.all(opened.splice(0).map((c) => c.close()));
}

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'dspy-redis-cache-'));
  dirs.push(d);
  return d;
}

let raw: Redis;
beforeAll(() => {
  raw = new Redis(redisUrl());
});
afterAll(async () => {
  await raw.quit();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function capture(): { warnings: string[]; logger: { debug(): void; info(): void; warn(m: string): void } } {
  const warnings: string[] = [];
  return { warnings, logger: { debug() {}, info() {}, warn: (m: string) => warnings.push(m) } };
}

describeCacheContract('RedisCache', () => redisCache(), closeAll);
describeCacheContract(
  'TieredCache memory → Redis → disk',
  () => new TieredCache(new MemoryCache(100), redisCache(), new DiskCache(tempDir())),
  closeAll,
);

describe('RedisCache', () => {
  afterEach(closeAll);

  it('stores gzipped entries under its prefix with the TTL', async () => {
    const cache = redisCache({ ttlSeconds: 600 });
    await cache.set(keyOf('x'), entry('x'));
    const body = await raw.getBuffer(`${cache.keyPrefix}${keyOf('x')}`);
    expect(body?.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const doc = JSON.parse(gunzipSync(body ?? Buffer.alloc(0)).toString('utf8'));
    expect(doc).toEqual({ v: 1, key: keyOf('x'), response: entry('x') });
    const ttl = await raw.ttl(`${cache.keyPrefix}${keyOf('x')}`);
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
  });

  it('treats a corrupt entry or one filed under another key as a miss', async () => {
    const cache = redisCache();
    await raw.set(`${cache.keyPrefix}${keyOf('bad')}`, 'not gzip');
    await cache.set(keyOf('a'), entry('a'));
    const moved = await raw.getBuffer(`${cache.keyPrefix}${keyOf('a')}`);
    await raw.set(`${cache.keyPrefix}${keyOf('b')}`, moved ?? '');
    expect(await cache.get(keyOf('bad'))).toBeUndefined();
    expect(await cache.get(keyOf('b'))).toBeUndefined();
  });

  it('refuses an entry above maxEntryBytes with CACHE_IO; a tiered cache keeps it locally with one warning', async () => {
    const small = redisCache({ maxEntryBytes: 64 });
    const big = { ...entry('y'), text: Array.from({ length: 400 }, (_, i) => `word${i * 7919}`).join(' ') };
    const err = await small.set(keyOf('big'), big).catch((e: unknown) => e);
    expect(isDspyError(err, 'CACHE_IO')).toBe(true);
    expect(String((err as Error).message)).toMatch(/maxEntryBytes/);
    expect(await raw.exists(`${small.keyPrefix}${keyOf('big')}`)).toBe(0);

    const { warnings, logger } = capture();
    const tiered = new TieredCache(new MemoryCache(10), small);
    await withSettings({ logger }, async () => {
      await tiered.set(keyOf('big'), big);
      await tiered.set(keyOf('big2'), big);
    });
    expect((await tiered.get(keyOf('big')))?.text).toBe(big.text);
    expect(warnings).toHaveLength(1);
  });

  it('clear() removes only its own prefix', async () => {
    const mine = redisCache();
    const other = redisCache();
    await mine.set(keyOf('m'), entry('m'));
    await other.set(keyOf('o'), entry('o'));
    await mine.clear();
    expect(await mine.get(keyOf('m'))).toBeUndefined();
    expect((await other.get(keyOf('o')))?.text).toBe('o');
  });

  it('rejects bad options with CACHE_IO and never shows the password in its name', () => {
    let err: unknown;
    try {
      new RedisCache({ url: '' });
    } catch (e) {
      err = e;
    }
    expect(isDspyError(err, 'CACHE_IO')).toBe(true);
    expect(() => new RedisCache({ url: redisUrl(), ttlSeconds: 0 })).toThrow(/ttlSeconds/);
    expect(new RedisCache({ url: 'redis://user:hunter2@localhost:6379' }).name).not.toContain('hunter2');
  });
});

describe('configureCache({ redis })', () => {
  afterEach(async () => {
    resetCacheConfig();
    await closeAll();
  });

  it('a second developer (fresh memory, own disk) gets the first one’s answers from Redis without calling the LM; nothing written holds the API key', async () => {
    await using server = await startTestServer({ lm: new ScriptedLM(() => ({ answer: 'Paris' })) });
    const keyPrefix = prefix();
    const secret = 'sk-test-secret-never-stored-0123456789';
    const make = () => new LM('openai/gpt-4o-mini', { baseURL: server.url, apiKey: secret });
    const ask = (lm: LM) => lm.call({ messages: [{ role: 'user', content: 'capital of France?' }] });
    const chats = () => server.requests.filter((r) => r.path.endsWith('/chat/completions')).length;

    configureCache({ dir: tempDir(), redis: { url: redisUrl(), keyPrefix, timeoutMs: TIMEOUT_MS } });
    expect(getDefaultCache()?.name).toMatch(/^memory\+redis:redis:\/\/127\.0\.0\.1:\d+\+disk:/);
    const first = await ask(make());
    expect(first.cacheHit).toBe(false);

    configureCache({ dir: tempDir(), redis: { url: redisUrl(), keyPrefix, timeoutMs: TIMEOUT_MS } });
    const second = await ask(make());
    expect(second).toMatchObject({ cacheHit: true, text: first.text });
    expect(chats()).toBe(1);

    const keys = await raw.keys(`${keyPrefix}*`);
    expect(keys).toHaveLength(1);
    for (const k of keys) {
      const text = gunzipSync((await raw.getBuffer(k)) ?? Buffer.alloc(0)).toString('utf8');
      expect(text).not.toContain(secret);
      expect(text).not.toContain(server.url);
    }
  });

  it('writes a disk-only hit back to Redis (read-through, write-back)', async () => {
    const dir = tempDir();
    const keyPrefix = prefix();
    await new DiskCache(dir).set(keyOf('disk'), entry('from disk'));
    configureCache({ dir, redis: { url: redisUrl(), keyPrefix, timeoutMs: TIMEOUT_MS } });
    expect((await getDefaultCache()?.get(keyOf('disk')))?.text).toBe('from disk');
    expect(await raw.exists(`${keyPrefix}${keyOf('disk')}`)).toBe(1);
  });
});

describe('Redis going away', () => {
  afterEach(async () => {
    resetCacheConfig();
    await closeAll();
  });

  it('killed mid-run: calls still succeed from the LM and the local tiers, with one warning', async () => {
    const own = await startRedisServer();
    try {
      await using server = await startTestServer({
        lm: new ScriptedLM((req) => ({ answer: `echo ${req.messages.at(-1)?.content ?? ''}` })),
      });
      const { warnings, logger } = capture();
      const cache = new RedisCache({ url: own.url, timeoutMs: TIMEOUT_MS });
      opened.push(cache);
      const lm = new LM('openai/gpt-4o-mini', {
        baseURL: server.url,
        apiKey: 'k',
        cache: new TieredCache(new MemoryCache(100), cache),
      });
      const ask = (q: string) => lm.call({ messages: [{ role: 'user', content: q }] });
      await withSettings({ logger }, async () => {
        expect((await ask('q0')).text).toContain('echo q0');
        expect(warnings).toEqual([]);
        await own.kill();
        for (let i = 1; i <= 5; i++) expect((await ask(`q${i}`)).text).toContain(`echo q${i}`);
        expect((await ask('q0')).cacheHit).toBe(true);
      });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/redis:redis:\/\/127\.0\.0\.1:\d+ .*failed.*local cache/);
    } finally {
      await own.stop();
    }
  });

  it('reconnects: once the server is back on the same port, entries are shared again', async () => {
    const own = await startRedisServer();
    const { warnings, logger } = capture();
    // Short: the first operation after the stop waits this long for the connection to return.
    const cache = new RedisCache({ url: own.url, timeoutMs: 1_000 });
    opened.push(cache);
    try {
      await withSettings({ logger }, async () => {
        await cache.set(keyOf('before'), entry('before'));
        await own.stop();
        expect(await cache.get(keyOf('before'))).toBeUndefined();
        const again = await startRedisServer({ port: own.port });
        try {
          let got: Awaited<ReturnType<RedisCache['get']>>;
          for (let i = 0; i < 100; i++) {
            await cache.set(keyOf('after'), entry('after'));
            got = await cache.get(keyOf('after'));
            if (got) break;
            await new Promise((r) => setTimeout(r, 50));
          }
          expect(got?.text).toBe('after');
        } finally {
          await again.stop();
        }
      });
      expect(warnings).toHaveLength(1);
    } finally {
      await own.stop();
    }
  });

  it('unreachable from the start: a miss after at most the timeout, and one warning', async () => {
    const own = await startRedisServer();
    await own.stop();
    const { warnings, logger } = capture();
    const cache = new RedisCache({ url: own.url, timeoutMs: 100 });
    opened.push(cache);
    await withSettings({ logger }, async () => {
      expect(await cache.get(keyOf('a'))).toBeUndefined();
      await cache.set(keyOf('a'), entry('a'));
      expect(await cache.get(keyOf('a'))).toBeUndefined();
    });
    expect(warnings).toHaveLength(1);
  });
});
