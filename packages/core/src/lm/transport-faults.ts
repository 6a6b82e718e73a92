/**
 * What the retry transport does with a failed attempt (an error status, a connection error or
 * timeout, a cut or malformed body): the answer the SDK should see, whether and when to retry.
 * Loaded with the first failed attempt.
 */
import { type BackoffPolicy, backoffDelay, parseRetryAfter } from './backoff.js';
import { type AttemptContext, FAULT_HEADER, type TransportFault } from './transport.js';

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

export /** An error status as the SDK should see it: whether to retry, and after how long. */
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

/** Where an attempt failed: sending it, reading its body, or parsing the body as JSON. */
export type FailedStage = 'request' | 'body' | 'parse';

/** A retryable 502/503 answer for an attempt that failed below HTTP status level. */
export function failedAttempt(
  policy: BackoffPolicy,
  ctx: AttemptContext | undefined,
  attempt: number,
  stage: FailedStage,
  err: unknown,
): Response {
  const fault: TransportFault =
    stage === 'parse'
      ? 'malformed'
      : isAbort(err)
        ? 'timeout'
        : stage === 'request'
          ? 'connection'
          : 'truncated';
  if (ctx) {
    ctx.lastFault = fault;
    ctx.lastStatus = undefined;
  }
  return synthetic(
    stage === 'parse' ? 502 : 503,
    fault,
    `${fault}: ${errorText(err)}`,
    backoffDelay(policy, attempt),
  );
}
