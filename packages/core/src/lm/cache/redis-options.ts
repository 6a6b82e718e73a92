import { DspyError } from '../../errors.js';

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

const DEFAULT_TTL_SECONDS = 30 * 24 * 3600;
const DEFAULT_MAX_ENTRY_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 250;

function positive(value: number, what: string, fallback: number): number {
  if (Number.isSafeInteger(value) && value > 0) return value;
  throw new DspyError('CACHE_IO', `RedisCache: ${what} must be a positive integer, got ${value}`, {
    details: {
      where: `new RedisCache({ ${what} })`,
      fix: `Pass a number such as ${fallback}, or leave it out.`,
    },
  });
}

/**
 * The options of a Redis tier checked, with their defaults filled in; a `CACHE_IO` error for an
 * empty URL or a limit that is not a positive integer. Kept apart from `RedisCache` so that
 * `configureCache({ redis })` checks them at once without loading the tier. @internal
 */
export function resolveRedisOptions(options: RedisCacheOptions): Required<RedisCacheOptions> {
  if (!options.url) {
    throw new DspyError('CACHE_IO', 'RedisCache: the url is empty', {
      details: { where: 'new RedisCache({ url })', fix: 'Pass a URL such as redis://localhost:6379.' },
    });
  }
  return {
    url: options.url,
    keyPrefix: options.keyPrefix ?? 'dspy-ts:lm:',
    ttlSeconds: positive(options.ttlSeconds ?? DEFAULT_TTL_SECONDS, 'ttlSeconds', DEFAULT_TTL_SECONDS),
    maxEntryBytes: positive(
      options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES,
      'maxEntryBytes',
      DEFAULT_MAX_ENTRY_BYTES,
    ),
    timeoutMs: positive(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs', DEFAULT_TIMEOUT_MS),
  };
}
