/**
 * Registers the disk and Redis layers of the default LM cache (imported for its effect by the
 * server entry): the web entry leaves them out until `configureCache` is called.
 */
import { registerCacheTiers } from './config.js';
import { DiskCache } from './disk.js';
import { RedisCache } from './redis.js';
import { TieredCache } from './tiered.js';

registerCacheTiers({ DiskCache, RedisCache, TieredCache });
