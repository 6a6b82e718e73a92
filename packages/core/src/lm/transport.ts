import type OpenAI from 'openai';
import type { BackoffPolicy } from './backoff.js';
import type { LeanResponse } from './lean-response.js';

/** Per-call facts the transport collects while the SDK makes its attempts. */
export interface AttemptContext {
  /** HTTP requests sent so far for this call (1 + retries). */
  attempts: number;
  /** Status of the last failed attempt, if it had one. */
  lastStatus?: number;
  /** Kind of the last transport fault (`connection`, `timeout`, `truncated`, `malformed`). */
  lastFault?: TransportFault;
  /** The caller's abort signal: when it fired, errors are passed through untouched. */
  readonly signal?: AbortSignal;
}

/** A failure below HTTP status level that the transport turns into a retryable answer. */
export type TransportFault = 'connection' | 'timeout' | 'truncated' | 'malformed';

/** Response header naming the transport fault behind a synthetic 502/503. */
export const FAULT_HEADER = 'x-dspy-ts-fault';

/** Key under which a call's {@link AttemptContext} rides in the `fetch` init (the SDK passes `fetchOptions` through). */
const ATTEMPTS = Symbol('dspy-ts.attempts');

/**
 * Request options for the SDK that let the transport count this call's attempts into `ctx`.
 *
 * @example
 * ```ts
 * await client.chat.completions.create(body, { ...attemptOptions(ctx) });
 * ```
 */
export function attemptOptions(ctx: AttemptContext): Pick<OpenAI.RequestOptions, 'fetchOptions'> {
  return { fetchOptions: { [ATTEMPTS]: ctx } as NonNullable<OpenAI.RequestOptions['fetchOptions']> };
}

function contextOf(init: RequestInit | undefined): AttemptContext | undefined {
  return init ? (init as { [ATTEMPTS]?: AttemptContext })[ATTEMPTS] : undefined;
}

type FetchFn = typeof globalThis.fetch;

type Faults = typeof import('./transport-faults.js');
let faults: Faults | undefined;

/** What the transport does with a failed attempt: loaded with the first one (a call that succeeds never needs it). */
async function loadFaults(): Promise<Faults> {
  faults ??= await import('./transport-faults.js');
  return faults;
}

/**
 * Hands the SDK a body already read and parsed: `json()` and `text()` of the (consumed)
 * response return it, so there is no second parse and no second `Response` object.
 */
function withParsedBody(res: Response, text: string, value: unknown): Response {
  // The lean transport's response (tested by shape: its module loads only on Node).
  if (typeof (res as Partial<LeanResponse>).reuseBody === 'function') {
    (res as LeanResponse).reuseBody(text, value);
    return res;
  }
  Object.defineProperties(res, {
    json: { value: () => Promise.resolve(value) },
    text: { value: () => Promise.resolve(text) },
  });
  return res;
}

/**
 * Wraps `fetch` for the `openai` SDK, adding what the SDK's own retry loop lacks:
 * - counts every attempt of the call ({@link attemptOptions});
 * - our backoff (configurable base, jitter) and a cap on `Retry-After` (the SDK waits as long
 *   as the server says), both passed to the SDK as `retry-after-ms`;
 * - never retries 400/401/403/404, even when the server sends `x-should-retry: true`;
 * - reads JSON bodies completely, so a truncated or malformed 200 becomes a retryable 502/503
 *   (the SDK only retries before the body is read), as do connection errors and timeouts.
 */
export function createRetryFetch(policy: BackoffPolicy, inner: FetchFn = globalThis.fetch): FetchFn {
  const wrapped = async (input: Parameters<FetchFn>[0], init?: Parameters<FetchFn>[1]): Promise<Response> => {
    const ctx = contextOf(init);
    const attempt = ctx ? ++ctx.attempts : 1;
    let res: Response;
    try {
      res = await inner(input, init);
    } catch (err) {
      if (ctx?.signal?.aborted) throw err;
      return (faults ?? (await loadFaults())).failedAttempt(policy, ctx, attempt, 'request', err);
    }
    if (!res.ok) return (faults ?? (await loadFaults())).retryAnswer(policy, ctx, attempt, res);
    if ((res.headers.get('content-type') ?? '').includes('event-stream')) return res;
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      if (ctx?.signal?.aborted) throw err;
      return (faults ?? (await loadFaults())).failedAttempt(policy, ctx, attempt, 'body', err);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return (faults ?? (await loadFaults())).failedAttempt(policy, ctx, attempt, 'parse', err);
    }
    return withParsedBody(res, text, value);
  };
  return wrapped as FetchFn;
}
