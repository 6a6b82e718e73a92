import { DspyError } from '@dspy-ts/core';
import { usageError } from './errors.js';

/** The Redis a worker uses when neither `--redis` nor `DSPY_TS_REDIS_URL` names one. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** What the CLI needs of `@dspy-ts/distributed`. */
export type DistributedModule = Pick<typeof import('@dspy-ts/distributed'), 'startWorker' | 'QueueRunner'>;

/**
 * Loads `@dspy-ts/distributed`, an optional peer of the CLI (BullMQ and its Redis client are
 * installed only by those who run workers), or says how to install it. `who` is what needs it,
 * as the message names it (`dspy-ts worker`, `dspy-ts eval --redis`).
 */
export async function loadDistributed(
  load: () => Promise<DistributedModule> = () => import('@dspy-ts/distributed'),
  who = 'dspy-ts worker',
): Promise<DistributedModule> {
  try {
    return await load();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw err;
    throw new DspyError(
      'CLI_USAGE',
      `${who} needs the package @dspy-ts/distributed, which is not installed`,
      {
        cause: err,
        details: {
          where: '@dspy-ts/distributed',
          fix: 'Install it next to the CLI: npm install @dspy-ts/distributed (it brings BullMQ and ioredis).',
        },
      },
    );
  }
}

/** `redis://user:secret@host` shown as `redis://user:***@host`: a password never reaches a log. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** Where the Redis URL of a command came from. */
export type RedisSource = '--redis' | 'DSPY_TS_REDIS_URL' | 'the default';

/** A Redis URL and where it came from. */
export interface RedisTarget {
  readonly url: string;
  readonly source: RedisSource;
}

/** `DSPY_TS_REDIS_URL`, when set to something other than blanks. */
export function redisUrlFromEnv(): string | undefined {
  return process.env.DSPY_TS_REDIS_URL?.trim() || undefined;
}

/** Refuses a URL that is not `redis://` or `rediss://`, naming where it came from. */
export function checkRedisUrl(target: RedisTarget): RedisTarget {
  if (/^rediss?:\/\//.test(target.url)) return target;
  const where = target.source === '--redis' ? '--redis' : 'DSPY_TS_REDIS_URL';
  throw usageError(
    `${where} must be a redis:// or rediss:// URL, not '${redactUrl(target.url)}'`,
    where,
    'Pass --redis redis://host:6379 (rediss:// for TLS; redis://:password@host:6379/0 with a password and a database).',
  );
}

/**
 * The error of a Redis that does not answer (from `startWorker` or `QueueRunner.connect`,
 * which speak of `connection`) in the command line's terms: the URL without its password, the
 * flag or variable it came from, the reason. Other errors pass through.
 */
export function inRedisTerms(err: unknown, target: RedisTarget): unknown {
  const why = err instanceof DspyError ? err.details.reason : undefined;
  if (!(err instanceof DspyError) || err.details.option !== 'connection' || typeof why !== 'string')
    return err;
  return new DspyError(
    'OPTION_INVALID',
    `no Redis answers at ${redactUrl(target.url)}, from ${target.source}${why ? ` (${why})` : ''}`,
    {
      details: {
        where: target.source === 'the default' ? '--redis' : target.source,
        fix: 'Start a Redis (or Valkey) server at that host and port, or pass the URL of yours: --redis redis://host:6379 (or set DSPY_TS_REDIS_URL).',
      },
    },
  );
}
