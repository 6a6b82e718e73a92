/** How long to wait between attempts. */
export interface BackoffPolicy {
  /** First backoff delay in ms (default 500); doubles per attempt. */
  readonly baseMs: number;
  /** Largest backoff delay in ms (default 8,000). */
  readonly maxMs: number;
  /** Largest `Retry-After` honoured, in ms (default 60,000); longer values are clamped to it. */
  readonly maxRetryAfterMs: number;
}

/** The defaults: the SDK's own curve (0.5 s doubling to 8 s) and a 60 s Retry-After cap. */
export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({
  baseMs: 500,
  maxMs: 8_000,
  maxRetryAfterMs: 60_000,
});

/**
 * Exponential backoff with jitter after the `attempt`-th failed attempt (1-based): the delay
 * `base * 2^(attempt-1)` capped at `maxMs`, then scaled by a random factor in [0.75, 1].
 */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const raw = Math.min(policy.baseMs * 2 ** Math.max(0, attempt - 1), policy.maxMs);
  return raw * (1 - random() * 0.25);
}

/**
 * Reads `retry-after-ms` or `Retry-After` (seconds or an HTTP date) in ms; `undefined`
 * when absent or unreadable. Negative values read as 0.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const v = Number(ms);
    if (Number.isFinite(v)) return Math.max(0, v);
  }
  const ra = headers.get('retry-after');
  if (ra === null || ra.trim() === '') return undefined;
  const seconds = Number(ra);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
