import { envVar, optionalNodeBuiltin } from '../../runtime/node-builtins.js';
import { DiskCache } from './disk.js';
import { MemoryCache } from './memory.js';
import { RedisCache, type RedisCacheOptions } from './redis.js';
import { TieredCache } from './tiered.js';
import type { Cache } from './types.js';

/** Options of {@link configureCache}. */
export interface CacheConfig {
  /** Disk directory; `null` or `''` disables the disk layer. Default: `DSPY_TS_CACHE_DIR`, else the user's cache dir. */
  readonly dir?: string | null;
  /** Entries kept in memory (default 10,000). */
  readonly memoryEntries?: number;
  /** `false` turns the default cache off for every LM that uses it. */
  readonly enabled?: boolean;
  /**
   * A shared Redis (or Valkey) tier between memory and disk: memory → Redis → disk, read-through
   * and write-back. Needs the optional package `ioredis`. `null` removes it.
   */
  readonly redis?: RedisCacheOptions | null;
}

let config: CacheConfig = {};
let current: Cache | undefined;

/** The classes of the layers below memory (disk, Redis, the tiered front). */
export interface CacheTiers {
  readonly DiskCache: typeof DiskCache;
  readonly RedisCache: typeof RedisCache;
  readonly TieredCache: typeof TieredCache;
}

/**
 * Registered by the server entry (and by `configureCache`): on the web entry, an app that never
 * configures the cache has no disk or Redis layer to bundle. @internal
 */
let tierClasses: CacheTiers | undefined;

/** Makes the disk and Redis layers available to the default cache. @internal */
export function registerCacheTiers(classes: CacheTiers): void {
  tierClasses = classes;
}

/** The environment variables the default directory depends on, where the runtime has them. */
function cacheEnv(): Readonly<Record<string, string | undefined>> {
  return { DSPY_TS_CACHE_DIR: envVar('DSPY_TS_CACHE_DIR'), XDG_CACHE_HOME: envVar('XDG_CACHE_HOME') };
}

/**
 * The default disk directory: `DSPY_TS_CACHE_DIR` when set (empty: no disk layer), else
 * `$XDG_CACHE_HOME/dspy-ts`, else `~/.cache/dspy-ts`. `null` (memory only) on a runtime without
 * a file system and home directory (browsers, workerd).
 */
export function defaultCacheDir(
  env: Readonly<Record<string, string | undefined>> = cacheEnv(),
): string | null {
  const explicit = env.DSPY_TS_CACHE_DIR;
  if (explicit !== undefined) return explicit.trim() === '' ? null : explicit;
  const os = optionalNodeBuiltin('node:os');
  const path = optionalNodeBuiltin('node:path');
  if (!os || !path || !optionalNodeBuiltin('node:fs')) return null;
  let home: string;
  try {
    home = os.homedir();
  } catch {
    return null;
  }
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && xdg.trim() !== '' ? xdg : path.join(home, '.cache'), 'dspy-ts');
}

/**
 * Configures the process-wide LM cache used by every `LM` created with `cache: true`
 * (the default). Takes effect for the next call.
 *
 * @example
 * ```ts
 * configureCache({ dir: './.dspy-cache', memoryEntries: 50_000 });
 * configureCache({ redis: { url: 'redis://localhost:6379' } }); // shared by the team
 * configureCache({ enabled: false }); // no caching at all
 * ```
 */
export function configureCache(options: CacheConfig): void {
  // Checked now, so a bad option is an error here rather than on the first call.
  if (options.redis) new RedisCache(options.redis);
  tierClasses ??= { DiskCache, RedisCache, TieredCache };
  config = { ...config, ...options };
  dropCurrent();
}

/** Forgets the cache instance, closing its Redis connection if it has one. */
function dropCurrent(): void {
  const previous = current;
  current = undefined;
  const t = tierClasses;
  // A tiered cache only exists once its classes were registered.
  if (t && previous instanceof t.TieredCache) {
    for (const tier of previous.tiers) if (tier instanceof t.RedisCache) void tier.close();
  }
}

/** The process-wide cache, or `undefined` when disabled. */
export function getDefaultCache(): Cache | undefined {
  if (config.enabled === false) return undefined;
  if (current) return current;
  const memory = new MemoryCache(config.memoryEntries ?? 10_000);
  // The web entry has no disk or Redis layer until `configureCache` (or the server entry)
  // registers them: its default cache is memory only, as in a browser.
  const t = tierClasses;
  const dir = config.dir === undefined ? (t ? defaultCacheDir() : null) : config.dir;
  if (!t || (!config.redis && !dir)) {
    current = memory;
    return current;
  }
  const tiers: Cache[] = [];
  if (config.redis) tiers.push(new t.RedisCache(config.redis));
  if (dir) tiers.push(new t.DiskCache(dir));
  current = new t.TieredCache(memory, ...tiers);
  return current;
}

/** Forgets `configureCache` settings and the cache instance (for tests). */
export function resetCacheConfig(): void {
  config = {};
  dropCurrent();
}
