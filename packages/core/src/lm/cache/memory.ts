import { LRUCache } from 'lru-cache';
import { type Cache, type CachedResponse, copyCached } from './types.js';

/**
 * An in-memory LRU of LM responses (lru-cache), bounded by entry count.
 *
 * @example
 * ```ts
 * const lm = new LM('openai/gpt-4o-mini', { cache: new MemoryCache(1000) });
 * ```
 */
export class MemoryCache implements Cache {
  readonly name = 'memory';
  private readonly lru: LRUCache<string, CachedResponse>;

  constructor(readonly maxEntries = 10_000) {
    this.lru = new LRUCache({ max: Math.max(1, maxEntries) });
  }

  /** Number of entries held. */
  get size(): number {
    return this.lru.size;
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    const v = this.lru.get(key);
    return v === undefined ? undefined : copyCached(v);
  }

  /** Synchronous lookup (the hot path of a cache hit). */
  peek(key: string): CachedResponse | undefined {
    const v = this.lru.get(key);
    return v === undefined ? undefined : copyCached(v);
  }

  async set(key: string, value: CachedResponse): Promise<void> {
    this.lru.set(key, copyCached(value));
  }

  async delete(key: string): Promise<void> {
    this.lru.delete(key);
  }

  async clear(): Promise<void> {
    this.lru.clear();
  }
}
