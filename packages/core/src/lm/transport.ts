import type OpenAI from 'openai';
import { type BackoffPolicy, backoffDelay, parseRetryAfter } from './backoff.js';
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

const NO_RETRY = new Set([400, 401, 403, 404]);

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

function synthetic(status: number, fault: TransportFault, message: string, delayMs: number): Response {
  const body = JSON.stringify({ error: { message, type: 'transport_error', code: fault } });
  return new Response(body, {
    status,
    headers: {
      'content-type': 'application/json',
      'retry-after-ms': String(Math.round(delayMs)),
      [FAULT_HEADER]: fault,
    },
  });
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
}

function withHeaders(res: Response, edit: (h: Headers) => void): Response {
  const headers = new Headers(res.headers);
  edit(headers);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
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

/** An error status as the SDK should see it: whether to retry, and after how long. */
function retryAnswer(
  policy: BackoffPolicy,
  ctx: AttemptContext | undefined,
  attempt: number,
  res: Response,
): Response {
  if (ctx) {
    ctx.lastStatus = res.status;
    ctx.lastFault = undefined;
  }
  if (NO_RETRY.has(res.status)) {
    return res.headers.has('x-should-retry') ? withHeaders(res, (h) => h.delete('x-should-retry')) : res;
  }
  if (!isRetryableStatus(res.status)) return res;
  const asked = parseRetryAfter(res.headers);
  const delay =
    asked === undefined
      ? backoffDelay(policy, attempt)
      : Math.min(asked, policy.maxRetryAfterMs) * (1 + Math.random() * 0.1);
  return withHeaders(res, (h) => {
    h.delete('retry-after');
    h.set('retry-after-ms', String(Math.round(delay)));
  });
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
  const fail = (
    ctx: AttemptContext | undefined,
    attempt: number,
    status: number,
    fault: TransportFault,
    err: unknown,
  ) => {
    if (ctx) {
      ctx.lastFault = fault;
      ctx.lastStatus = undefined;
    }
    return synthetic(status, fault, `${fault}: ${errorText(err)}`, backoffDelay(policy, attempt));
  };
  const wrapped = async (input: Parameters<FetchFn>[0], init?: Parameters<FetchFn>[1]): Promise<Response> => {
    const ctx = contextOf(init);
    const attempt = ctx ? ++ctx.attempts : 1;
    let res: Response;
    try {
      res = await inner(input, init);
    } catch (err) {
      if (ctx?.signal?.aborted) throw err;
      return fail(ctx, attempt, 503, isAbort(err) ? 'timeout' : 'connection', err);
    }
    if (!res.ok) return retryAnswer(policy, ctx, attempt, res);
    if ((res.headers.get('content-type') ?? '').includes('event-stream')) return res;
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      if (ctx?.signal?.aborted) throw err;
      return fail(ctx, attempt, 503, isAbort(err) ? 'timeout' : 'truncated', err);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return fail(ctx, attempt, 502, 'malformed', err);
    }
    return withParsedBody(res, text, value);
  };
  return wrapped as FetchFn;
}
