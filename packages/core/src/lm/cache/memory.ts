import { type Cache, type CachedResponse, copyCached } from './types.js';

/**
 * An in-memory LRU of LM responses, bounded by entry count: a `Map` in recency order (a hit
 * moves its entry to the end; a set past the bound drops the first, least recently used, entry).
 *
 * @example
 * ```ts
 * const lm = new LM('openai/gpt-4o-mini', { cache: new MemoryCache(1000) });
 * ```
 */
export class MemoryCache implements Cache {
  readonly name = 'memory';
  /** Entries from the least to the most recently used (a `Map` keeps insertion order). */
  private readonly entries = new Map<string, CachedResponse>();
  private readonly max: number;

  constructor(readonly maxEntries = 10_000) {
    this.max = Math.max(1, maxEntries);
  }

  /** Number of entries held. */
  get size(): number {
    return this.entries.size;
  }

  /** The entry of `key`, now the most recently used. */
  private touch(key: string): CachedResponse | undefined {
    const v = this.entries.get(key);
    if (v === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, v);
    return v;
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    return this.peek(key);
  }

  /** Synchronous lookup (the hot path of a cache hit). */
  peek(key: string): CachedResponse | undefined {
    const v = this.touch(key);
    return v === undefined ? undefined : copyCached(v);
  }

  async set(key: string, value: CachedResponse): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, copyCached(value));
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async clear(): Promise<void> {
    this.entries.clear();
  }
}
