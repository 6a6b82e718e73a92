import type { FileHandle } from 'node:fs/promises';
import { DspyError } from '../../errors.js';
import { nodeBuiltin } from '../../runtime/node-builtins.js';
import { type Cache, type CachedResponse, copyCached, isCachedResponse } from './types.js';

const FORMAT = 1;
const KEY_RE = /^[0-9a-f]{16,128}$/;
const DEFAULT_MAX_ENTRY_BYTES = 16 * 1024 * 1024;
const NO_FS_FIX =
  'Run it where there is a file system (Node, Bun, Deno), or configure the cache without a disk layer: configureCache({ dir: null }).';

/** The Node modules of the disk layer, looked up on first use (core imports no Node built-in). */
function node() {
  const fs = nodeBuiltin('node:fs', 'DiskCache', 'CACHE_IO', NO_FS_FIX);
  return {
    fs: fs.promises,
    path: nodeBuiltin('node:path', 'DiskCache', 'CACHE_IO', NO_FS_FIX),
    randomHex: () =>
      nodeBuiltin('node:crypto', 'DiskCache', 'CACHE_IO', NO_FS_FIX).randomBytes(6).toString('hex'),
    /** Opening never follows a symlink, and never waits for a writer (a FIFO at an entry's path). */
    readFlags: fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0),
  };
}
/** What a write sees when the directory is removed under it (`mkdir -p` reports ENOTDIR then). */
const VANISHED = new Set(['ENOENT', 'ENOTDIR']);
/** Attempts of one write while the directory keeps vanishing under it. */
const WRITE_ATTEMPTS = 3;

/** Options of {@link DiskCache}. */
export interface DiskCacheOptions {
  /**
   * Largest entry file read or written, in bytes (default 16 MiB). A larger file at an entry's
   * path is a miss and is never read; a larger entry is not written (`set` throws `CACHE_IO`).
   */
  readonly maxEntryBytes?: number;
}

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
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
  /** Shard directories known to exist (saves a `mkdir` per write). */
  readonly #shards = new Set<string>();

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
    return node().path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    let text: string | undefined;
    try {
      text = await this.#readEntry(this.pathOf(key));
    } catch {
      return undefined;
    }
    if (text === undefined) return undefined;
    try {
      const doc = JSON.parse(text) as { v?: unknown; key?: unknown; response?: unknown };
      if (doc.v !== FORMAT || doc.key !== key || !isCachedResponse(doc.response)) return undefined;
      return copyCached(doc.response);
    } catch {
      return undefined;
    }
  }

  /** The text of a regular file of at most `maxEntryBytes`, else undefined (not read). */
  async #readEntry(file: string): Promise<string | undefined> {
    let handle: FileHandle;
    try {
      handle = await node().fs.open(file, node().readFlags);
    } catch {
      return undefined;
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile() || stat.size > this.maxEntryBytes) return undefined;
      const buffer = Buffer.allocUnsafe(stat.size);
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.toString('utf8', 0, filled);
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  async set(key: string, value: CachedResponse): Promise<void> {
    const file = this.pathOf(key);
    const text = JSON.stringify({ v: FORMAT, key, response: copyCached(value) });
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > this.maxEntryBytes) {
      throw new DspyError(
        'CACHE_IO',
        `DiskCache: the entry ${key.slice(0, 12)}… is ${bytes} bytes, more than maxEntryBytes (${this.maxEntryBytes}); not written`,
        {
          details: {
            where: this.name,
            fix: 'Raise the limit with new DiskCache(dir, { maxEntryBytes }), or keep such responses in memory only.',
          },
        },
      );
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#write(file, text);
        return;
      } catch (err) {
        // The directory went away (cleared, maybe by another process): make it again.
        const vanished = VANISHED.has(errnoOf(err) ?? '');
        if (vanished && attempt < WRITE_ATTEMPTS) continue;
        // Gone again each time: clear() keeps winning the race, as if it came right after this write.
        if (vanished && !(await this.#blocked(node().path.dirname(file)))) return;
        throw new DspyError('CACHE_IO', `DiskCache: could not write ${file}`, {
          cause: err,
          details: {
            where: this.name,
            fix: 'Check that the cache directory is writable, or set DSPY_TS_CACHE_DIR.',
          },
        });
      }
    }
  }

  /** Writes a temporary file in the entry's shard and renames it over the entry. */
  async #write(file: string, text: string): Promise<void> {
    const shard = node().path.dirname(file);
    const tmp = `${file}.${process.pid}.${node().randomHex()}.tmp`;
    try {
      if (!this.#shards.has(shard)) {
        await node().fs.mkdir(shard, { recursive: true });
        this.#shards.add(shard);
      }
      await node().fs.writeFile(tmp, text, { encoding: 'utf8', flag: 'wx' });
      await node().fs.rename(tmp, file);
    } catch (err) {
      this.#shards.delete(shard);
      await node()
        .fs.unlink(tmp)
        .catch(() => undefined);
      throw err;
    }
  }

  /** True when something other than a directory stands where the cache or `shard` directory goes. */
  async #blocked(shard: string): Promise<boolean> {
    for (const path of [this.dir, shard]) {
      const stat = await node()
        .fs.lstat(path)
        .catch(() => undefined);
      if (stat && !stat.isDirectory()) return true;
    }
    return false;
  }

  async delete(key: string): Promise<void> {
    await node()
      .fs.unlink(this.pathOf(key))
      .catch(() => undefined);
  }

  /**
   * Removes every entry. The directory is first renamed to a unique sibling and then removed,
   * so writers that keep adding files meanwhile (other processes, other tasks) neither make it
   * fail nor land in the removed tree; where it cannot be renamed, it is removed in place with
   * retries.
   */
  async clear(): Promise<void> {
    this.#shards.clear();
    const { path } = node();
    const dir = path.resolve(this.dir);
    const aside = path.join(
      path.dirname(dir),
      `.${path.basename(dir)}.${process.pid}.${node().randomHex()}.clearing`,
    );
    try {
      await node().fs.rename(dir, aside);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return;
      await this.#remove(dir);
      return;
    }
    await this.#remove(aside);
  }

  async #remove(path: string): Promise<void> {
    try {
      await node().fs.rm(path, { recursive: true, force: true, maxRetries: 10, retryDelay: 10 });
    } catch (err) {
      throw new DspyError('CACHE_IO', `DiskCache: could not clear ${this.dir}: ${String(err)}`, {
        cause: err,
        details: {
          where: this.name,
          fix: 'Check the permissions of the cache directory, or remove it by hand.',
        },
      });
    }
  }
}
