import { createHash, randomUUID } from 'node:crypto';
import type { BudgetAmount, BudgetCaps, BudgetLedger, BudgetReservation } from '@dspy-ts/core';
import { DspyError } from '@dspy-ts/core';
import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { connectionOptions, type RedisConnection } from './connection.js';

/** Key prefix of budget totals in Redis. */
export const DEFAULT_BUDGET_PREFIX = 'dspy-ts:budget:';

/** Options of {@link RedisBudgetLedger}. */
export interface RedisBudgetLedgerOptions {
  /** The Redis holding the total: a URL, connection options, or an ioredis client (left open by `close`). */
  readonly connection: RedisConnection | Redis;
  /** The run's key: every process of the run uses the same (default: a new random id). */
  readonly key?: string;
  /** Prefix of the Redis keys (default `dspy-ts:budget:`). */
  readonly prefix?: string;
  /** Seconds the total is kept after its last change (default 7 days). */
  readonly ttlSeconds?: number;
  /**
   * Seconds a reservation is held for a call under way (default 600). One held longer, by a
   * process that died mid-call, is dropped so the rest of the run gets its room back; a call
   * that ends later still adds what it spent.
   */
  readonly reservationTtlSeconds?: number;
}

// The hash `total` holds spent (sc, st, sco) and reserved (rc, rt, rco) calls, tokens and cost; the
// hash `held` maps each open reservation to its estimate and expiry ("calls tokens cost expiresMs").
// Numbers travel as the strings JavaScript printed, so costs keep their precision (HINCRBYFLOAT).
// A reservation past its expiry (its process died mid-call) is dropped before the caps are read.
const RESERVE = `
local total, held = KEYS[1], KEYS[2]
local now = redis.call('TIME')
local nowms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local open = redis.call('HGETALL', held)
for i = 1, #open, 2 do
  local c, t, co, exp = string.match(open[i + 1], '(%S+) (%S+) (%S+) (%S+)')
  if exp and tonumber(exp) < nowms then
    redis.call('HDEL', held, open[i])
    redis.call('HINCRBY', total, 'rc', -tonumber(c))
    redis.call('HINCRBY', total, 'rt', -tonumber(t))
    redis.call('HINCRBYFLOAT', total, 'rco', '-' .. co)
  end
end
local ec, et, eco = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local v = redis.call('HMGET', total, 'sc', 'st', 'sco', 'rc', 'rt', 'rco')
local n = {}
for i = 1, 6 do n[i] = tonumber(v[i]) or 0 end
local uc, ut, uco = n[1] + n[4], n[2] + n[5], n[3] + n[6]
local limit = nil
if ARGV[4] ~= '' and uc + ec > tonumber(ARGV[4]) then limit = 'maxLMCalls'
elseif ARGV[5] ~= '' and ut + et > tonumber(ARGV[5]) then limit = 'maxTokens'
elseif ARGV[6] ~= '' and uco + eco > tonumber(ARGV[6]) * (1 + 1e-12) then limit = 'maxCost'
elseif ARGV[6] ~= '' and eco == 0 and ec > 0 and tonumber(ARGV[6]) > 0 and uco >= tonumber(ARGV[6]) then limit = 'maxCost'
end
if limit then
  for i = 1, 6 do v[i] = v[i] or '0' end
  return {0, limit, v[1], v[2], v[3], v[4], v[5], v[6]}
end
redis.call('HINCRBY', total, 'rc', ARGV[1])
redis.call('HINCRBY', total, 'rt', ARGV[2])
redis.call('HINCRBYFLOAT', total, 'rco', ARGV[3])
local expires = nowms + tonumber(ARGV[9])
redis.call('HSET', held, ARGV[7], ARGV[1] .. ' ' .. ARGV[2] .. ' ' .. ARGV[3] .. ' ' .. string.format('%d', expires))
redis.call('EXPIRE', total, ARGV[8])
redis.call('EXPIRE', held, ARGV[8])
return {1}
`;

// Ends a reservation (ARGV[1]; ARGV[2] the TTL): its estimate leaves `reserved` (unless it had
// expired, and was dropped already); with ARGV[3..5], the actual spend joins `spent` either way.
const SETTLE = `
local total, held = KEYS[1], KEYS[2]
local e = redis.call('HGET', held, ARGV[1])
if e then
  redis.call('HDEL', held, ARGV[1])
  local c, t, co = string.match(e, '(%S+) (%S+) (%S+)')
  redis.call('HINCRBY', total, 'rc', -tonumber(c))
  redis.call('HINCRBY', total, 'rt', -tonumber(t))
  redis.call('HINCRBYFLOAT', total, 'rco', '-' .. co)
end
if ARGV[3] then
  redis.call('HINCRBY', total, 'sc', ARGV[3])
  redis.call('HINCRBY', total, 'st', ARGV[4])
  redis.call('HINCRBYFLOAT', total, 'sco', ARGV[5])
end
redis.call('EXPIRE', total, ARGV[2])
return 1
`;

/** A Lua script and its SHA-1, under which Redis caches it (`EVALSHA`). */
interface Script {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const RESERVE_SCRIPT = script(RESERVE);
const SETTLE_SCRIPT = script(SETTLE);

/**
 * An ioredis client for budget totals: a command fails after a few reconnection attempts
 * instead of waiting for ever, and connection errors surface on the commands (as
 * `BUDGET_LEDGER`), not as unhandled events.
 */
function budgetClient(options: ConnectionOptions): Redis {
  const client = new Redis({ ...(options as RedisOptions), maxRetriesPerRequest: 3 });
  client.on('error', () => undefined);
  return client;
}

function isClient(c: RedisConnection | Redis): c is Redis {
  return c instanceof Redis;
}

function num(v: unknown): number {
  const n = Number(v);
  return Number.isFinite(n) ? Math.max(0, n) : 0;
}

function integer(v: number): string {
  return String(Math.max(0, Math.round(v)));
}

/**
 * A budget total kept in Redis under a run's key, so that every process of a distributed run
 * (the one that compiles or evaluates, and each worker) draws on one budget. Reserving is one
 * Lua script: it compares spent + reserved + the call's estimate with the caps and holds the
 * estimate in the same step, so concurrent workers cannot pass a cap together. `QueueRunner`
 * makes one for each budgeted run (`runner.budgetLedger()`) and its workers open the same key.
 *
 * @example
 * ```ts
 * const ledger = new RedisBudgetLedger({ connection: 'redis://127.0.0.1:6379', key: 'nightly-compile' });
 * await evaluate(program, devset, metric, { maxCost: 2.5, budgetLedger: ledger });
 * console.log((await ledger.spent()).cost);
 * await ledger.close();
 * ```
 */
export class RedisBudgetLedger implements BudgetLedger {
  readonly key: string;
  readonly #prefix: string;
  readonly #ttl: number;
  readonly #holdMs: number;
  readonly #connection: RedisConnection | Redis;
  readonly #owned: boolean;
  #client: Redis | undefined;

  constructor(options: RedisBudgetLedgerOptions) {
    this.key = options.key ?? randomUUID();
    this.#prefix = options.prefix ?? DEFAULT_BUDGET_PREFIX;
    const ttl = options.ttlSeconds ?? 7 * 24 * 3600;
    if (!Number.isInteger(ttl) || ttl < 1) {
      throw new DspyError('OPTION_INVALID', `RedisBudgetLedger: ttlSeconds is ${ttl}.`, {
        details: { where: 'RedisBudgetLedger.ttlSeconds', fix: 'Pass a whole number of seconds ≥ 1.' },
      });
    }
    this.#ttl = ttl;
    const hold = options.reservationTtlSeconds ?? 600;
    if (!(typeof hold === 'number' && hold > 0 && Number.isFinite(hold))) {
      throw new DspyError('OPTION_INVALID', `RedisBudgetLedger: reservationTtlSeconds is ${hold}.`, {
        details: { where: 'RedisBudgetLedger.reservationTtlSeconds', fix: 'Pass a number of seconds > 0.' },
      });
    }
    this.#holdMs = Math.ceil(hold * 1000);
    this.#connection = options.connection;
    this.#owned = !isClient(options.connection);
    // Checked now, so a bad URL fails where it is given.
    if (!isClient(options.connection)) connectionOptions(options.connection, 'RedisBudgetLedger');
  }

  /** The Redis key prefix (workers open the same key under the same prefix). */
  get prefix(): string {
    return this.#prefix;
  }

  #redis(): Redis {
    if (!this.#client) {
      const c = this.#connection;
      this.#client = isClient(c) ? c : budgetClient(connectionOptions(c, 'RedisBudgetLedger'));
    }
    return this.#client;
  }

  #keys(): [string, string] {
    const base = `${this.#prefix}${this.key}`;
    return [base, `${base}:held`];
  }

  async reserve(estimate: BudgetAmount, caps: BudgetCaps): Promise<BudgetReservation> {
    const id = randomUUID();
    const cap = (v: number | undefined) => (v === undefined ? '' : String(v));
    const answer = (await this.#call(() =>
      this.#run(
        RESERVE_SCRIPT,
        integer(estimate.calls),
        integer(estimate.tokens),
        String(Math.max(0, estimate.cost)),
        cap(caps.maxLMCalls),
        cap(caps.maxTokens),
        cap(caps.maxCost),
        id,
        String(this.#ttl),
        String(this.#holdMs),
      ),
    )) as [number, string?, ...string[]];
    if (answer[0] === 1) return { granted: true, id };
    const [, limit, sc, st, sco, rc, rt, rco] = answer;
    return {
      granted: false,
      limit: limit as keyof BudgetCaps,
      spent: { calls: num(sc), tokens: num(st), cost: num(sco) },
      reserved: { calls: num(rc), tokens: num(rt), cost: num(rco) },
    };
  }

  async commit(id: string, actual: BudgetAmount): Promise<void> {
    await this.#call(() =>
      this.#run(
        SETTLE_SCRIPT,
        id,
        String(this.#ttl),
        integer(actual.calls),
        integer(actual.tokens),
        String(Math.max(0, actual.cost)),
      ),
    );
  }

  async release(id: string): Promise<void> {
    await this.#call(() => this.#run(SETTLE_SCRIPT, id, String(this.#ttl)));
  }

  async spent(): Promise<BudgetAmount> {
    const [sc, st, sco] = (await this.#call(() =>
      this.#redis().hmget(this.#keys()[0], 'sc', 'st', 'sco'),
    )) as (string | null)[];
    return { calls: num(sc), tokens: num(st), cost: num(sco) };
  }

  /** Deletes the total (the next call starts from zero). */
  async reset(): Promise<void> {
    await this.#call(() => this.#redis().del(...this.#keys()));
  }

  /** Closes the Redis connection this ledger opened (a client passed in stays open). */
  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (client && this.#owned) await client.quit().catch(() => client.disconnect());
  }

  /**
   * Runs `script` on the total's two keys by its SHA-1 (`EVALSHA`), so only the arguments travel;
   * a Redis that does not hold it yet (`NOSCRIPT`: new, restarted or flushed) gets its source
   * once (`EVAL`, which caches it).
   */
  async #run(script: Script, ...args: string[]): Promise<unknown> {
    const redis = this.#redis();
    const keys = this.#keys();
    try {
      return await redis.evalsha(script.sha, 2, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error && err.message.startsWith('NOSCRIPT'))) throw err;
      return await redis.eval(script.source, 2, ...keys, ...args);
    }
  }

  /** Runs a Redis command; a failure is `BUDGET_LEDGER` (the budget cannot be checked, so no call is made). */
  async #call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new DspyError(
        'BUDGET_LEDGER',
        `the budget total in Redis (${this.#prefix}${this.key}) cannot be read or written: ${err instanceof Error ? err.message : String(err)}`,
        {
          cause: err,
          details: {
            where: 'RedisBudgetLedger',
            fix: 'Check that Redis is reachable at the connection given; a budget is never skipped, so the call was not made.',
          },
        },
      );
    }
  }
}
