import type { CacheTiers } from './config.js';
import { DiskCache } from './disk.js';
import { RedisCache } from './redis.js';
import { TieredCache } from './tiered.js';
import type { Cache } from './types.js';

/**
 * The slower tiers of the process-wide cache (Redis, then disk, behind memory). The server entry
 * registers them at start-up; the web entry loads this module only when `configureCache` asks
 * for a tier (browsers have neither a disk nor a Redis client). @internal
 */
export const cacheTiers: CacheTiers = {
  build(memory, redis, dir) {
    const tiers: Cache[] = [];
    if (redis) tiers.push(new RedisCache(redis));
    if (dir) tiers.push(new DiskCache(dir));
    return tiers.length > 0 ? new TieredCache(memory, ...tiers) : memory;
  },
  close(cache) {
    if (!(cache instanceof TieredCache)) return;
    for (const tier of cache.tiers) if (tier instanceof RedisCache) void tier.close();
  },
};
