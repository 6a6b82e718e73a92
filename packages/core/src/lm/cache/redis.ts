import { DspyError } from '../../errors.js';
import type { Cache, CachedResponse } from './types.js';

/** The Redis work of the tier (`redis-io.ts`: client, timeouts, gzip), loaded with the first operation. */
let io: Promise<typeof import('./redis-io.js')> | undefined;
const redisIO = () => (io ??= import('./redis-io.js'));

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

  async get(key: string): Promise<CachedResponse | undefined> {
    return (await redisIO()).get(this, this.#url, key);
  }

  /** Stores the entry; throws `CACHE_IO` only when it is larger than `maxEntryBytes` compressed. */
  async set(key: string, value: CachedResponse): Promise<void> {
    return (await redisIO()).set(this, this.#url, key, value);
  }

  async delete(key: string): Promise<void> {
    return (await redisIO()).remove(this, this.#url, key);
  }

  /** Removes every entry under `keyPrefix` (SCAN + UNLINK; other keys on the server are kept). */
  async clear(): Promise<void> {
    return (await redisIO()).clear(this, this.#url);
  }

  /** Closes the connection (the next operation opens a new one). */
  async close(): Promise<void> {
    // Nothing was opened before the first operation loaded the Redis work.
    if (io) return (await io).close(this);
  }
}
