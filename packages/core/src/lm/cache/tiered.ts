import { logger } from '../../settings.js';
import type { DiskCache } from './disk.js';
import type { MemoryCache } from './memory.js';
import type { Cache, CachedResponse } from './types.js';

/**
 * Memory in front of disk: reads try memory, then disk (promoting hits to memory); writes go
 * to both. A failing disk write is logged once and otherwise ignored: a cache never breaks a call.
 */
export class TieredCache implements Cache {
  readonly name: string;
  private warned = false;

  constructor(
    readonly memory: MemoryCache,
    readonly disk: DiskCache,
  ) {
    this.name = `memory+${disk.name}`;
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    const m = this.memory.peek(key);
    if (m) return m;
    const d = await this.disk.get(key);
    if (d) await this.memory.set(key, d);
    return d;
  }

  /** Synchronous lookup of the memory layer. */
  peek(key: string): CachedResponse | undefined {
    return this.memory.peek(key);
  }

  async set(key: string, value: CachedResponse): Promise<void> {
    await this.memory.set(key, value);
    try {
      await this.disk.set(key, value);
    } catch (err) {
      if (!this.warned) {
        this.warned = true;
        logger().warn(`LM cache: ${err instanceof Error ? err.message : String(err)} (disk layer skipped)`);
      }
    }
  }

  async delete(key: string): Promise<void> {
    await Promise.all([this.memory.delete(key), this.disk.delete(key)]);
  }

  async clear(): Promise<void> {
    await Promise.all([this.memory.clear(), this.disk.clear()]);
  }
}
