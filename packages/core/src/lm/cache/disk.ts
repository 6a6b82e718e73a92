import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DspyError } from '../../errors.js';
import { type Cache, type CachedResponse, copyCached, isCachedResponse } from './types.js';

const FORMAT = 1;
const KEY_RE = /^[0-9a-f]{16,128}$/;

/**
 * A directory of LM responses, one JSON file per entry under a two-character shard
 * (`ab/abcdef….json`). Each write goes to a unique temporary file that is then renamed
 * over the entry, so readers and other processes only ever see whole files. A file that
 * does not parse, or whose key or shape is wrong, is a miss (and is replaced on the next set).
 * Reads are synchronous: an entry is a few kB, and a blocking read of a cached file costs a
 * tenth of the CPU of `fs/promises`' `readFile` (whose thread-pool round trips dominated a
 * warm recompile).
 *
 * @example
 * ```ts
 * const cache = new DiskCache('/tmp/dspy-cache');
 * ```
 */
export class DiskCache implements Cache {
  readonly name: string;
  /** Shard directories known to exist (saves a `mkdir` per write). */
  readonly #shards = new Set<string>();

  constructor(readonly dir: string) {
    if (!dir) {
      throw new DspyError('CACHE_IO', 'DiskCache: the directory is empty', {
        details: { where: 'new DiskCache(dir)', fix: 'Pass a directory path, or use MemoryCache only.' },
      });
    }
    this.name = `disk:${dir}`;
  }

  /** The file of a key. */
  pathOf(key: string): string {
    if (!KEY_RE.test(key)) {
      throw new DspyError('CACHE_IO', `DiskCache: invalid key "${key.slice(0, 40)}"`, {
        details: { where: this.name, fix: 'Keys are lower-case hex digests (see cacheKey()).' },
      });
    }
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    let text: string;
    try {
      text = readFileSync(this.pathOf(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const doc = JSON.parse(text) as { v?: unknown; key?: unknown; response?: unknown };
      if (doc.v !== FORMAT || doc.key !== key || !isCachedResponse(doc.response)) return undefined;
      return copyCached(doc.response);
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: CachedResponse): Promise<void> {
    const file = this.pathOf(key);
    const doc = { v: FORMAT, key, response: copyCached(value) };
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const shard = join(this.dir, key.slice(0, 2));
      if (!this.#shards.has(shard)) {
        await mkdir(shard, { recursive: true });
        this.#shards.add(shard);
      }
      try {
        await writeFile(tmp, JSON.stringify(doc), 'utf8');
      } catch (err) {
        // The directory went away since (cleared, maybe by another process): make it again once.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        this.#shards.delete(shard);
        await mkdir(shard, { recursive: true });
        this.#shards.add(shard);
        await writeFile(tmp, JSON.stringify(doc), 'utf8');
      }
      await rename(tmp, file);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw new DspyError('CACHE_IO', `DiskCache: could not write ${file}`, {
        cause: err,
        details: {
          where: this.name,
          fix: 'Check that the cache directory is writable, or set DSPY_TS_CACHE_DIR.',
        },
      });
    }
  }

  async delete(key: string): Promise<void> {
    await unlink(this.pathOf(key)).catch(() => undefined);
  }

  async clear(): Promise<void> {
    this.#shards.clear();
    await rm(this.dir, { recursive: true, force: true });
  }
}
