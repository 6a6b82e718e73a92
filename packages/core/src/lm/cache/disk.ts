import { DspyError } from '../../errors.js';
import { nodeBuiltin } from '../../runtime/node-builtins.js';
import type { Cache, CachedResponse } from './types.js';

const KEY_RE = /^[0-9a-f]{16,128}$/;
const DEFAULT_MAX_ENTRY_BYTES = 16 * 1024 * 1024;

/** The file work of the disk layer (`disk-io.ts`), loaded with the first read or write. */
let io: Promise<typeof import('./disk-io.js')> | undefined;
const diskIO = () => (io ??= import('./disk-io.js'));

/** Options of {@link DiskCache}. */
export interface DiskCacheOptions {
  /**
   * Largest entry file read or written, in bytes (default 16 MiB). A larger file at an entry's
   * path is a miss and is never read; a larger entry is not written (`set` throws `CACHE_IO`).
   */
  readonly maxEntryBytes?: number;
}

/**
 * A directory of LM responses, one JSON file per entry under a two-character shard
 * (`ab/abcdef….json`). Each write goes to a unique temporary file that is then renamed
 * over the entry, so readers and other processes only ever see whole files. A file that
 * does not parse, or whose key or shape is wrong, is a miss (and is replaced on the next set).
 * Reads are asynchronous and only of regular files no larger than `maxEntryBytes` (checked on
 * the opened handle): a FIFO, a directory, a symlink or an oversized file at an entry's path
 * is a miss, never a hang. `clear()` moves the directory aside before removing it, so writers
 * in other processes or tasks never make it fail; a write that races a `clear()` is either kept
 * or cleared, never an error.
 *
 * @example
 * ```ts
 * const cache = new DiskCache('/tmp/dspy-cache', { maxEntryBytes: 4 * 1024 * 1024 });
 * ```
 */
export class DiskCache implements Cache {
  readonly name: string;
  /** Largest entry file read or written, in bytes. */
  readonly maxEntryBytes: number;
  constructor(
    readonly dir: string,
    options: DiskCacheOptions = {},
  ) {
    if (!dir) {
      throw new DspyError('CACHE_IO', 'DiskCache: the directory is empty', {
        details: { where: 'new DiskCache(dir)', fix: 'Pass a directory path, or use MemoryCache only.' },
      });
    }
    const max = options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
    if (!Number.isSafeInteger(max) || max <= 0) {
      throw new DspyError('CACHE_IO', `DiskCache: maxEntryBytes must be a positive integer, got ${max}`, {
        details: {
          where: 'new DiskCache(dir, { maxEntryBytes })',
          fix: `Pass a number of bytes such as ${DEFAULT_MAX_ENTRY_BYTES}, or leave it out.`,
        },
      });
    }
    this.maxEntryBytes = max;
    this.name = `disk:${dir}`;
  }

  /** The file of a key. */
  pathOf(key: string): string {
    if (!KEY_RE.test(key)) {
      throw new DspyError('CACHE_IO', `DiskCache: invalid key "${key.slice(0, 40)}"`, {
        details: { where: this.name, fix: 'Keys are lower-case hex digests (see cacheKey()).' },
      });
    }
    return nodeBuiltin(
      'node:path',
      'DiskCache',
      'CACHE_IO',
      'Run it where there is a file system (Node, Bun, Deno), or configure the cache without a disk layer: configureCache({ dir: null }).',
    ).join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    return (await diskIO()).get(this, key);
  }

  async set(key: string, value: CachedResponse): Promise<void> {
    return (await diskIO()).set(this, key, value);
  }

  async delete(key: string): Promise<void> {
    return (await diskIO()).remove(this, key);
  }

  /**
   * Removes every entry. The directory is first renamed to a unique sibling and then removed,
   * so writers that keep adding files meanwhile (other processes, other tasks) neither make it
   * fail nor land in the removed tree; where it cannot be renamed, it is removed in place with
   * retries.
   */
  async clear(): Promise<void> {
    return (await diskIO()).clear(this);
  }
}
