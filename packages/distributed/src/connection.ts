import { DspyError } from '@dspy-ts/core';
import type { ConnectionOptions } from 'bullmq';

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
    throw new DspyError('OPTION_INVALID', `${where}: connection '${connection}' is not a redis:// URL.`, {
      details: {
        where: `${where}.connection`,
        option: 'connection',
        fix: 'Pass redis://host:port (rediss:// for TLS), or ioredis options such as { host, port }.',
      },
    });
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
