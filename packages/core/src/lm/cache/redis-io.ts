/**
 * The Redis work of {@link RedisCache} (client, timeouts, gzip), loaded with its first operation:
 * an app whose cache has no Redis tier (every web app) never loads it. @internal
 */
import type { Redis as RedisClient, RedisOptions } from 'ioredis';
import { DspyError } from '../../errors.js';
import { nodeBuiltin } from '../../runtime/node-builtins.js';
import { logger } from '../../settings.js';
import { isCachedResponse } from './check.js';
import type { RedisCache } from './redis.js';
import { type CachedResponse, copyCached } from './types.js';

/** `node:zlib`, found on first use: the Redis tier runs where Node's built-ins are. */
function zlib(): typeof import('node:zlib') {
  return nodeBuiltin(
    'node:zlib',
    'the Redis cache tier',
    'CACHE_IO',
    'The Redis cache tier needs Node, Bun or Deno; use the memory cache elsewhere.',
  );
}

const FORMAT = 1;
const KEY_RE = /^[0-9a-f]{16,128}$/;

/** Loads the optional `ioredis` client, or throws a CACHE_IO error saying what to install. */
async function loadClient(): Promise<typeof RedisClient> {
  try {
    // A specifier bundlers do not follow: the Redis tier runs on servers only, and a web bundle
    // of core must not pull in a Node client.
    const specifier = 'ioredis';
    return ((await import(/* @vite-ignore */ specifier)) as typeof import('ioredis')).Redis;
  } catch (err) {
    throw new DspyError('CACHE_IO', 'RedisCache: the optional package "ioredis" is not installed', {
      cause: err,
      details: {
        where: 'configureCache({ redis })',
        fix: 'Install it next to @dspy-ts/core: npm install ioredis (or pnpm add ioredis).',
      },
    });
  }
}

/** The connection state of one cache. */
interface State {
  client: Promise<RedisClient> | undefined;
  warned: boolean;
  readyWait: Promise<void> | undefined;
}
const states = new WeakMap<RedisCache, State>();
function stateOf(cache: RedisCache): State {
  let state = states.get(cache);
  if (!state) {
    state = { client: undefined, warned: false, readyWait: undefined };
    states.set(cache, state);
  }
  return state;
}

function keyOf(cache: RedisCache, key: string): string {
  if (!KEY_RE.test(key)) {
    throw new DspyError('CACHE_IO', `RedisCache: invalid key "${key.slice(0, 40)}"`, {
      details: { where: cache.name, fix: 'Keys are lower-case hex digests (see cacheKey()).' },
    });
  }
  return cache.keyPrefix + key;
}

function connect(cache: RedisCache, url: string): Promise<RedisClient> {
  const state = stateOf(cache);
  state.client ??= loadClient().then((Redis) => {
    const options: RedisOptions = {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: Math.max(cache.timeoutMs, 1000),
      retryStrategy: (times) => Math.min(100 * times, 2000),
    };
    const client = new Redis(url, options);
    // Connection errors surface as failed operations (and one warning); never as an unhandled event.
    client.on('error', () => undefined);
    client.connect().catch(() => undefined);
    return client;
  });
  return state.client;
}

/** Runs one operation within `timeoutMs`; a failure or timeout is `undefined` and one warning. */
async function op<T>(
  cache: RedisCache,
  url: string,
  what: string,
  run: (client: RedisClient) => Promise<T>,
): Promise<T | undefined> {
  const state = stateOf(cache);
  let timer: NodeJS.Timeout | undefined;
  try {
    const client = await connect(cache, url);
    // During a known outage, skip at once instead of waiting out the timeout on every call.
    if (client.status !== 'ready' && state.warned) return undefined;
    const result = await Promise.race([
      whenReady(state, client).then(() => run(client)),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${cache.timeoutMs} ms`)),
          cache.timeoutMs,
        );
      }),
    ]);
    state.warned = false;
    return result;
  } catch (err) {
    if (err instanceof DspyError) throw err;
    if (!state.warned) {
      state.warned = true;
      const reason = err instanceof Error ? err.message : String(err);
      logger().warn(
        `LM cache: ${cache.name} ${what} failed (${reason}); using the local cache until it answers again`,
      );
    }
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves when the client is connected (one shared wait, whatever the number of callers). */
function whenReady(state: State, client: RedisClient): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  state.readyWait ??= new Promise<void>((resolve) => {
    client.once('ready', () => {
      state.readyWait = undefined;
      resolve();
    });
  });
  return state.readyWait;
}

export async function get(cache: RedisCache, url: string, key: string): Promise<CachedResponse | undefined> {
  const redisKey = keyOf(cache, key);
  const raw = await op(cache, url, 'get', (c) => c.getBuffer(redisKey));
  if (!raw || raw.length > cache.maxEntryBytes) return undefined;
  try {
    const doc = JSON.parse(
      zlib()
        .gunzipSync(raw, { maxOutputLength: 64 * cache.maxEntryBytes })
        .toString('utf8'),
    ) as {
      v?: unknown;
      key?: unknown;
      response?: unknown;
    };
    if (doc.v !== FORMAT || doc.key !== key || !isCachedResponse(doc.response)) return undefined;
    return copyCached(doc.response);
  } catch {
    return undefined;
  }
}

/** Stores the entry; throws `CACHE_IO` only when it is larger than `maxEntryBytes` compressed. */
export async function set(cache: RedisCache, url: string, key: string, value: CachedResponse): Promise<void> {
  const redisKey = keyOf(cache, key);
  const body = zlib().gzipSync(JSON.stringify({ v: FORMAT, key, response: copyCached(value) }));
  if (body.length > cache.maxEntryBytes) {
    throw new DspyError(
      'CACHE_IO',
      `RedisCache: the entry ${key.slice(0, 12)}… is ${body.length} bytes compressed, more than maxEntryBytes (${cache.maxEntryBytes}); not written`,
      {
        details: {
          where: cache.name,
          fix: 'Raise the limit with configureCache({ redis: { url, maxEntryBytes } }), or keep such responses local.',
        },
      },
    );
  }
  await op(cache, url, 'set', (c) => c.set(redisKey, body, 'EX', cache.ttlSeconds));
}

export async function remove(cache: RedisCache, url: string, key: string): Promise<void> {
  const redisKey = keyOf(cache, key);
  await op(cache, url, 'delete', (c) => c.del(redisKey));
}

/** Removes every entry under `keyPrefix` (SCAN + UNLINK; other keys on the server are kept). */
export async function clear(cache: RedisCache, url: string): Promise<void> {
  let cursor = '0';
  do {
    const step = await op(cache, url, 'clear', (c) =>
      c.scan(cursor, 'MATCH', `${cache.keyPrefix}*`, 'COUNT', 500),
    );
    if (!step) return;
    const [next, keys] = step;
    if (keys.length > 0) await op(cache, url, 'clear', (c) => c.unlink(...keys));
    cursor = next;
  } while (cursor !== '0');
}

/** Closes the connection (the next operation opens a new one). */
export async function close(cache: RedisCache): Promise<void> {
  const state = stateOf(cache);
  const pending = state.client;
  state.client = undefined;
  state.readyWait = undefined;
  if (!pending) return;
  const client = await pending.catch(() => undefined);
  if (!client) return;
  await client.quit().catch(() => client.disconnect());
}
