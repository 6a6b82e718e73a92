/**
 * The file work of {@link DiskCache}, loaded with its first read or write: an app whose cache
 * has no disk layer (every web app) never loads it. @internal
 */
import type { FileHandle } from 'node:fs/promises';
import { DspyError } from '../../errors.js';
import { nodeBuiltin } from '../../runtime/node-builtins.js';
import { isCachedResponse } from './check.js';
import type { DiskCache } from './disk.js';
import { type CachedResponse, copyCached } from './types.js';

const FORMAT = 1;
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

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Shard directories known to exist, per cache (saves a `mkdir` per write). */
const known = new WeakMap<DiskCache, Set<string>>();
function shardsOf(cache: DiskCache): Set<string> {
  let shards = known.get(cache);
  if (!shards) {
    shards = new Set();
    known.set(cache, shards);
  }
  return shards;
}

export async function get(cache: DiskCache, key: string): Promise<CachedResponse | undefined> {
  let text: string | undefined;
  try {
    text = await readEntry(cache, cache.pathOf(key));
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
async function readEntry(cache: DiskCache, file: string): Promise<string | undefined> {
  let handle: FileHandle;
  try {
    handle = await node().fs.open(file, node().readFlags);
  } catch {
    return undefined;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size > cache.maxEntryBytes) return undefined;
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

export async function set(cache: DiskCache, key: string, value: CachedResponse): Promise<void> {
  const file = cache.pathOf(key);
  const text = JSON.stringify({ v: FORMAT, key, response: copyCached(value) });
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > cache.maxEntryBytes) {
    throw new DspyError(
      'CACHE_IO',
      `DiskCache: the entry ${key.slice(0, 12)}… is ${bytes} bytes, more than maxEntryBytes (${cache.maxEntryBytes}); not written`,
      {
        details: {
          where: cache.name,
          fix: 'Raise the limit with new DiskCache(dir, { maxEntryBytes }), or keep such responses in memory only.',
        },
      },
    );
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await write(cache, file, text);
      return;
    } catch (err) {
      // The directory went away (cleared, maybe by another process): make it again.
      const vanished = VANISHED.has(errnoOf(err) ?? '');
      if (vanished && attempt < WRITE_ATTEMPTS) continue;
      // Gone again each time: clear() keeps winning the race, as if it came right after this write.
      if (vanished && !(await blocked(cache, node().path.dirname(file)))) return;
      throw new DspyError('CACHE_IO', `DiskCache: could not write ${file}`, {
        cause: err,
        details: {
          where: cache.name,
          fix: 'Check that the cache directory is writable, or set DSPY_TS_CACHE_DIR.',
        },
      });
    }
  }
}

/** Writes a temporary file in the entry's shard and renames it over the entry. */
async function write(cache: DiskCache, file: string, text: string): Promise<void> {
  const shard = node().path.dirname(file);
  const tmp = `${file}.${process.pid}.${node().randomHex()}.tmp`;
  try {
    if (!shardsOf(cache).has(shard)) {
      await node().fs.mkdir(shard, { recursive: true });
      shardsOf(cache).add(shard);
    }
    await node().fs.writeFile(tmp, text, { encoding: 'utf8', flag: 'wx' });
    await node().fs.rename(tmp, file);
  } catch (err) {
    shardsOf(cache).delete(shard);
    await node()
      .fs.unlink(tmp)
      .catch(() => undefined);
    throw err;
  }
}

/** True when something other than a directory stands where the cache or `shard` directory goes. */
async function blocked(cache: DiskCache, shard: string): Promise<boolean> {
  for (const path of [cache.dir, shard]) {
    const stat = await node()
      .fs.lstat(path)
      .catch(() => undefined);
    if (stat && !stat.isDirectory()) return true;
  }
  return false;
}

export async function remove(cache: DiskCache, key: string): Promise<void> {
  await node()
    .fs.unlink(cache.pathOf(key))
    .catch(() => undefined);
}

/**
 * Removes every entry. The directory is first renamed to a unique sibling and then removed,
 * so writers that keep adding files meanwhile (other processes, other tasks) neither make it
 * fail nor land in the removed tree; where it cannot be renamed, it is removed in place with
 * retries.
 */
export async function clear(cache: DiskCache): Promise<void> {
  shardsOf(cache).clear();
  const { path } = node();
  const dir = path.resolve(cache.dir);
  const aside = path.join(
    path.dirname(dir),
    `.${path.basename(dir)}.${process.pid}.${node().randomHex()}.clearing`,
  );
  try {
    await node().fs.rename(dir, aside);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return;
    await removeTree(cache, dir);
    return;
  }
  await removeTree(cache, aside);
}

async function removeTree(cache: DiskCache, path: string): Promise<void> {
  try {
    await node().fs.rm(path, { recursive: true, force: true, maxRetries: 10, retryDelay: 10 });
  } catch (err) {
    throw new DspyError('CACHE_IO', `DiskCache: could not clear ${cache.dir}: ${String(err)}`, {
      cause: err,
      details: {
        where: cache.name,
        fix: 'Check the permissions of the cache directory, or remove it by hand.',
      },
    });
  }
}
