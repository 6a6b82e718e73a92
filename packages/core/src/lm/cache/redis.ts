import type { Redis as RedisClient, RedisOptions } from 'ioredis';
import { DspyError } from '../../errors.js';
import { nodeBuiltin } from '../../runtime/node-builtins.js';
import { logger } from '../../settings.js';
import { type Cache, type CachedResponse, copyCached, isCachedResponse } from './types.js';

/** `node:zlib`, found on first use: the Redis tier runs where Node's built-ins are. */
function zlib(): typeof import('node:zlib') {
  return nodeBuiltin(
    'node:zlib',
    'the Redis cache tier',
    'CACHE_IO',
    'The Redis cache tier needs Node, Bun or Deno; use the memory cache elsewhere.',
  );
}

const FORMAT = 1;
const KEY_RE = /^[0-9a-f]{16,128}$/;
const DEFAULT_TTL_SECONDS = 30 * 24 * 3600;
const DEFAULT_MAX_ENTRY_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 250;

/** Options of {@link RedisCache} (and of `configureCache({ redis })`). */
export interface RedisCacheOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (Redis or Valkey). */
  readonly url: string;
  /** Prefix of every key written (default `dspy-ts:lm:`); `clear()` removes only keys under it. */
  readonly keyPrefix?: string;
  /** Lifetime of an entry in seconds (default 30 days); each write renews it. */
  readonly ttlSeconds?: number;
  /** Largest compressed entry written or read, in bytes (default 1 MiB). */
  readonly maxEntryBytes?: number;
  /** Longest wait for one Redis operation before it counts as a miss, in ms (default 250). */
  readonly timeoutMs?: number;
}

function positive(value: number, what: string, fallback: number): number {
  if (Number.isSafeInteger(value) && value > 0) return value;
  throw new DspyError('CACHE_IO', `RedisCache: ${what} must be a positive integer, got ${value}`, {
    details: {
      where: `new RedisCache({ ${what} })`,
      fix: `Pass a number such as ${fallback}, or leave it out.`,
    },
  });
}

/** The URL without its password, for names and logs. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'redis://(invalid url)';
  }
}

/** Loads the optional `ioredis` client, or throws a CACHE_IO error saying what to install. */
async function loadClient(): Promise<typeof RedisClient> {
  try {
    // A specifier bundlers do not follow: the Redis tier runs on servers only, and a web bundle
    // of core must not pull in a Node client.
    const specifier = 'ioredis';
    return ((await import(/* @vite-ignore */ specifier)) as typeof import('ioredis')).Redis;
  } catch (err) {
    throw new DspyError('CACHE_IO', 'RedisCache: the optional package "ioredis" is not installed', {
      cause: err,
      details: {
        where: 'configureCache({ redis })',
        fix: 'Install it next to @dspy-ts/core: npm install ioredis (or pnpm add ioredis).',
      },
    });
  }
}

/**
 * LM responses in Redis (or Valkey, which speaks the same protocol), shared by every process
 * and machine that points at the same server. Entries are the gzipped JSON of the response
 * under the same canonical key as the other caches, with a TTL and a size cap; they hold only
 * what {@link CachedResponse} holds, never an API key or a base URL.
 *
 * Redis being down, unreachable or slower than `timeoutMs` never fails a call: `get` is a miss
 * and `set` is skipped, with one warning through the logger per outage; the client reconnects
 * in the background and the cache is used again once Redis answers. The `ioredis` client is an
 * optional peer dependency, loaded on first use.
 *
 * @example
 * ```ts
 * configureCache({ redis: { url: 'redis://localhost:6379', ttlSeconds: 7 * 24 * 3600 } });
 * ```
 */
export class RedisCache implements Cache {
  readonly name: string;
  readonly keyPrefix: string;
  readonly ttlSeconds: number;
  readonly maxEntryBytes: number;
  readonly timeoutMs: number;
  readonly #url: string;
  #client: Promise<RedisClient> | undefined;
  #warned = false;
  #readyWait: Promise<void> | undefined;

  constructor(options: RedisCacheOptions) {
    if (!options.url) {
      throw new DspyError('CACHE_IO', 'RedisCache: the url is empty', {
        details: { where: 'new RedisCache({ url })', fix: 'Pass a URL such as redis://localhost:6379.' },
      });
    }
    this.#url = options.url;
    this.keyPrefix = options.keyPrefix ?? 'dspy-ts:lm:';
    this.ttlSeconds = positive(options.ttlSeconds ?? DEFAULT_TTL_SECONDS, 'ttlSeconds', DEFAULT_TTL_SECONDS);
    this.maxEntryBytes = positive(
      options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES,
      'maxEntryBytes',
      DEFAULT_MAX_ENTRY_BYTES,
    );
    this.timeoutMs = positive(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs', DEFAULT_TIMEOUT_MS);
    this.name = `redis:${redactUrl(options.url)}`;
  }

  #keyOf(key: string): string {
    if (!KEY_RE.test(key)) {
      throw new DspyError('CACHE_IO', `RedisCache: invalid key "${key.slice(0, 40)}"`, {
        details: { where: this.name, fix: 'Keys are lower-case hex digests (see cacheKey()).' },
      });
    }
    return this.keyPrefix + key;
  }

  #connect(): Promise<RedisClient> {
    this.#client ??= loadClient().then((Redis) => {
      const options: RedisOptions = {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectTimeout: Math.max(this.timeoutMs, 1000),
        retryStrategy: (times) => Math.min(100 * times, 2000),
      };
      const client = new Redis(this.#url, options);
      // Connection errors surface as failed operations (and one warning); never as an unhandled event.
      client.on('error', () => undefined);
      client.connect().catch(() => undefined);
      return client;
    });
    return this.#client;
  }

  /** Runs one operation within `timeoutMs`; a failure or timeout is `undefined` and one warning. */
  async #op<T>(what: string, run: (client: RedisClient) => Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const client = await this.#connect();
      // During a known outage, skip at once instead of waiting out the timeout on every call.
      if (client.status !== 'ready' && this.#warned) return undefined;
      const result = await Promise.race([
        this.#whenReady(client).then(() => run(client)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${this.timeoutMs} ms`)),
            this.timeoutMs,
          );
        }),
      ]);
      this.#warned = false;
      return result;
    } catch (err) {
      if (err instanceof DspyError) throw err;
      if (!this.#warned) {
        this.#warned = true;
        const reason = err instanceof Error ? err.message : String(err);
        logger().warn(
          `LM cache: ${this.name} ${what} failed (${reason}); using the local cache until it answers again`,
        );
      }
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves when the client is connected (one shared wait, whatever the number of callers). */
  #whenReady(client: RedisClient): Promise<void> {
    if (client.status === 'ready') return Promise.resolve();
    this.#readyWait ??= new Promise<void>((resolve) => {
      client.once('ready', () => {
        this.#readyWait = undefined;
        resolve();
      });
    });
    return this.#readyWait;
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    const redisKey = this.#keyOf(key);
    const raw = await this.#op('get', (c) => c.getBuffer(redisKey));
    if (!raw || raw.length > this.maxEntryBytes) return undefined;
    try {
      const doc = JSON.parse(
        zlib()
          .gunzipSync(raw, { maxOutputLength: 64 * this.maxEntryBytes })
          .toString('utf8'),
      ) as {
        v?: unknown;
        key?: unknown;
        response?: unknown;
      };
      if (doc.v !== FORMAT || doc.key !== key || !isCachedResponse(doc.response)) return undefined;
      return copyCached(doc.response);
    } catch {
      return undefined;
    }
  }

  /** Stores the entry; throws `CACHE_IO` only when it is larger than `maxEntryBytes` compressed. */
  async set(key: string, value: CachedResponse): Promise<void> {
    const redisKey = this.#keyOf(key);
    const body = zlib().gzipSync(JSON.stringify({ v: FORMAT, key, response: copyCached(value) }));
    if (body.length > this.maxEntryBytes) {
      throw new DspyError(
        'CACHE_IO',
        `RedisCache: the entry ${key.slice(0, 12)}… is ${body.length} bytes compressed, more than maxEntryBytes (${this.maxEntryBytes}); not written`,
        {
          details: {
            where: this.name,
            fix: 'Raise the limit with configureCache({ redis: { url, maxEntryBytes } }), or keep such responses local.',
          },
        },
      );
    }
    await this.#op('set', (c) => c.set(redisKey, body, 'EX', this.ttlSeconds));
  }

  async delete(key: string): Promise<void> {
    const redisKey = this.#keyOf(key);
    await this.#op('delete', (c) => c.del(redisKey));
  }

  /** Removes every entry under `keyPrefix` (SCAN + UNLINK; other keys on the server are kept). */
  async clear(): Promise<void> {
    let cursor = '0';
    do {
      const step = await this.#op('clear', (c) =>
        c.scan(cursor, 'MATCH', `${this.keyPrefix}*`, 'COUNT', 500),
      );
      if (!step) return;
      const [next, keys] = step;
      if (keys.length > 0) await this.#op('clear', (c) => c.unlink(...keys));
      cursor = next;
    } while (cursor !== '0');
  }

  /** Closes the connection (the next operation opens a new one). */
  async close(): Promise<void> {
    const pending = this.#client;
    this.#client = undefined;
    this.#readyWait = undefined;
    if (!pending) return;
    const client = await pending.catch(() => undefined);
    if (!client) return;
    await client.quit().catch(() => client.disconnect());
  }
}
