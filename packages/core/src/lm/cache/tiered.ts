import { logger } from '../../settings.js';
import type { MemoryCache } from './memory.js';
import type { Cache, CachedResponse } from './types.js';

/**
 * Memory in front of one or more slower tiers (disk; Redis then disk): reads try memory, then
 * each tier in order, writing a hit back to the tiers above it; writes go to every tier. A
 * failing tier write is logged once and otherwise ignored: a cache never breaks a call.
 *
 * @example
 * ```ts
 * new TieredCache(new MemoryCache(1000), new RedisCache({ url }), new DiskCache(dir));
 * ```
 */
export class TieredCache implements Cache {
  readonly name: string;
  /** The tiers below memory, fastest first. */
  readonly tiers: readonly Cache[];
  private warned = false;

  constructor(
    readonly memory: MemoryCache,
    ...tiers: Cache[]
  ) {
    this.tiers = tiers;
    this.name = ['memory', ...tiers.map((t) => t.name)].join('+');
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    const m = this.memory.peek(key);
    if (m) return m;
    for (let i = 0; i < this.tiers.length; i++) {
      const hit = await this.tiers[i]?.get(key);
      if (!hit) continue;
      await this.memory.set(key, hit);
      for (const upper of this.tiers.slice(0, i)) await this.#write(upper, key, hit);
      return hit;
    }
    return undefined;
  }

  /** Synchronous lookup of the memory layer. */
  peek(key: string): CachedResponse | undefined {
    return this.memory.peek(key);
  }

  async set(key: string, value: CachedResponse): Promise<void> {
    await this.memory.set(key, value);
    await Promise.all(this.tiers.map((t) => this.#write(t, key, value)));
  }

  async #write(tier: Cache, key: string, value: CachedResponse): Promise<void> {
    try {
      await tier.set(key, value);
    } catch (err) {
      if (!this.warned) {
        this.warned = true;
        logger().warn(
          `LM cache: ${err instanceof Error ? err.message : String(err)} (${tier.name} layer skipped)`,
        );
      }
    }
  }

  async delete(key: string): Promise<void> {
    await Promise.all([this.memory.delete(key), ...this.tiers.map((t) => t.delete(key))]);
  }

  async clear(): Promise<void> {
    await Promise.all([this.memory.clear(), ...this.tiers.map((t) => t.clear())]);
  }
}
