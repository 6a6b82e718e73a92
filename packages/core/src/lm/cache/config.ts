import { DspyError } from '../../errors.js';
import { envVar, optionalNodeBuiltin } from '../../runtime/node-builtins.js';
import { MemoryCache } from './memory.js';
import { type RedisCacheOptions, resolveRedisOptions } from './redis-options.js';
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

/** How the process-wide cache builds and closes its tiers below memory (Redis, disk). @internal */
export interface CacheTiers {
  /** `memory` alone, or memory in front of the Redis and disk tiers asked for. */
  build(memory: MemoryCache, redis: RedisCacheOptions | null | undefined, dir: string | null): Cache;
  /** Closes what `build` opened (a Redis connection). */
  close(cache: Cache): void;
}

let config: CacheConfig = {};
let current: Cache | undefined;
let tiers: CacheTiers | undefined;
let loadingTiers: Promise<void> | undefined;

/** Installs the disk and Redis tiers (the server entry does at start-up). @internal */
export function registerCacheTiers(next: CacheTiers): void {
  tiers ??= next;
}

/**
 * Loads the disk and Redis tiers of the process-wide cache unless they are loaded. `LM` calls it
 * itself when `configureCache` asks for a tier; the server entry loads them at start-up. @internal
 */
export function loadCacheTiers(): Promise<void> {
  if (tiers) return Promise.resolve();
  loadingTiers ??= import('./tiers.js').then(
    (m) => registerCacheTiers(m.cacheTiers),
    (err: unknown) => {
      loadingTiers = undefined;
      throw new DspyError('CACHE_IO', `The LM cache cannot load its disk and Redis tiers: ${String(err)}`, {
        cause: err,
        details: {
          where: 'configureCache',
          fix: "Let the bundler include core's lazy chunks, or configure the cache without tiers: configureCache({ dir: null, redis: null }).",
        },
      });
    },
  );
  return loadingTiers;
}

/** The disk directory of the default cache, or `null` for none. */
function cacheDir(): string | null {
  return config.dir === undefined ? defaultCacheDir() : config.dir;
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
  if (options.redis) resolveRedisOptions(options.redis);
  config = { ...config, ...options };
  dropCurrent();
}

/** Forgets the cache instance, closing its Redis connection if it has one. */
function dropCurrent(): void {
  const previous = current;
  current = undefined;
  if (previous && tiers) tiers.close(previous);
}

/**
 * The process-wide cache, or `undefined` when disabled. A cache with a disk or Redis tier needs
 * the tiers loaded (the server entry loads them at start-up; elsewhere `await loadCacheTiers()`
 * first, or use {@link defaultCache}): otherwise a `CACHE_IO` error says so.
 */
export function getDefaultCache(): Cache | undefined {
  if (config.enabled === false) return undefined;
  if (current) return current;
  const memory = new MemoryCache(config.memoryEntries ?? 10_000);
  const dir = cacheDir();
  if (!config.redis && !dir) {
    current = memory;
    return current;
  }
  if (!tiers) {
    throw new DspyError(
      'CACHE_IO',
      'The LM cache has a disk or Redis tier, and the tiers are not loaded yet',
      {
        details: {
          where: 'getDefaultCache()',
          fix: 'await loadCacheTiers() before reading the cache synchronously (LM calls load them themselves, and the server entry at start-up).',
        },
      },
    );
  }
  current = tiers.build(memory, config.redis, dir);
  return current;
}

/**
 * The process-wide cache as {@link getDefaultCache} gives it, after loading the disk and Redis
 * tiers when the configuration has one and they are not loaded (then a promise). @internal
 */
export function defaultCache(): Cache | undefined | Promise<Cache | undefined> {
  if (current || tiers || config.enabled === false || (!config.redis && !cacheDir()))
    return getDefaultCache();
  return loadCacheTiers().then(getDefaultCache);
}

/** Forgets `configureCache` settings and the cache instance (for tests). */
export function resetCacheConfig(): void {
  config = {};
  dropCurrent();
}
