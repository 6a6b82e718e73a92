import { DspyError } from '@dspy-ts/core';
import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';

/** A Redis to queue on: a `redis://` / `rediss://` URL, or BullMQ's (ioredis) connection options. */
export type RedisConnection = string | ConnectionOptions;

/** BullMQ's connection options for `connection` (a URL becomes host, port, user, password, db, tls). */
export function connectionOptions(connection: RedisConnection, where: string): ConnectionOptions {
  if (typeof connection !== 'string') return connection;
  let url: URL;
  try {
    url = new URL(connection);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new DspyError(
      'OPTION_INVALID',
      `${where}: connection '${url.protocol === 'invalid:' ? 'not a URL' : `${url.protocol}//…`}' is not a redis:// URL.`,
      {
        details: {
          where: `${where}.connection`,
          option: 'connection',
          fix: 'Pass redis://host:port (rediss:// for TLS), or ioredis options such as { host, port }.',
        },
      },
    );
  }
  const db = url.pathname.replace(/^\//, '');
  return {
    host: url.hostname || '127.0.0.1',
    port: url.port ? Number(url.port) : 6379,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** `connection` for people to read: `redis://host:port/db`, never the user name or password. */
export function describeConnection(options: ConnectionOptions): string {
  const o = options as { host?: string; port?: number; db?: number; tls?: unknown; path?: string };
  if (isClient(options)) return 'the Redis client given';
  if (o.path) return `redis+socket://${o.path}`;
  const scheme = o.tls ? 'rediss' : 'redis';
  return `${scheme}://${o.host ?? '127.0.0.1'}:${o.port ?? 6379}${o.db ? `/${o.db}` : ''}`;
}

/** True when `options` is a client already made (BullMQ then uses it as it is). */
function isClient(options: ConnectionOptions): boolean {
  return typeof (options as { status?: unknown; connect?: unknown }).connect === 'function';
}

/**
 * Connects once to `options` and sends PING, giving up after `timeoutMs`: BullMQ itself retries
 * an unreachable Redis for ever without a word, so a wrong URL or a stopped server is reported
 * here instead, with what to do. A client given ready-made is trusted as it is.
 */
export async function assertReachable(
  options: ConnectionOptions,
  where: string,
  timeoutMs = 5000,
): Promise<void> {
  if (isClient(options)) return;
  const client = new Redis({
    ...(options as RedisOptions),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The socket's error (ECONNREFUSED, ENOTFOUND, a refused password) says more than the
  // "Connection is closed" the command then fails with.
  let socketError: Error | undefined;
  client.on('error', (err: Error) => {
    socketError ??= err;
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([client.connect().then(() => client.ping()), timeout]);
  } catch (err) {
    const why = socketError?.message ?? (err instanceof Error ? err.message : String(err));
    throw new DspyError(
      'OPTION_INVALID',
      `${where}: no Redis answers at ${describeConnection(options)} (${why}).`,
      {
        cause: err,
        details: {
          where: `${where}.connection`,
          option: 'connection',
          reason: why,
          fix: 'Start Redis there (e.g. redis-server --port 6379 --save ""), or point the connection at a running Redis or Valkey (host, port, password, TLS with rediss://).',
        },
      },
    );
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/** A plain Redis client on `options` (for run data beside BullMQ's own), and how to let it go. */
export interface PlainClient {
  readonly redis: Redis;
  close(): Promise<void>;
}

/** Opens a client on `options`; a client given ready-made is used as it is and left open. */
export function openClient(options: ConnectionOptions): PlainClient {
  if (isClient(options)) return { redis: options as unknown as Redis, close: async () => undefined };
  const redis = new Redis({ ...(options as RedisOptions), maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined);
  return {
    redis,
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
