import type { ServerResponse } from 'node:http';
import { errorJson } from './protocol.js';
import type { FaultKind, RecordedRequest } from './types.js';

/** Sends a complete JSON answer and records its status (nothing is written to a destroyed socket). */
export function sendJson(
  res: ServerResponse,
  rec: RecordedRequest,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  rec.outcome.status = status;
  if (res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': `req_${rec.index}`,
    ...headers,
  });
  res.end(body);
}

/** Sends SSE `data:` events in one write and records status 200. */
export function sendEvents(res: ServerResponse, rec: RecordedRequest, events: readonly string[]): void {
  rec.outcome.status = 200;
  if (res.destroyed) return;
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'x-request-id': `req_${rec.index}`,
  });
  res.end(events.map((e) => `data: ${e}\n\n`).join(''));
}

const CUT_JSON =
  '{"id":"chatcmpl-cut","object":"chat.completion","created":0,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"partial answer"}}]}';
const CUT_SSE =
  'data: {"id":"chatcmpl-cut","object":"chat.completion.chunk","created":0,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"par';

/** Sends half a body under a `Content-Length` larger than the whole, then closes the socket. */
function sendTruncated(res: ServerResponse, rec: RecordedRequest, stream: boolean): void {
  rec.outcome.status = 200;
  const full = stream ? CUT_SSE : CUT_JSON;
  const socket = res.socket;
  res.writeHead(200, {
    'content-type': stream ? 'text/event-stream' : 'application/json',
    'content-length': String(Buffer.byteLength(full) + 100),
  });
  res.write(full.slice(0, Math.floor(full.length / 2)), () => socket?.destroy());
}

/** Answers a request with an injected fault (see {@link FaultKind}). */
export function injectFault(
  res: ServerResponse,
  rec: RecordedRequest,
  fault: FaultKind,
  stream: boolean,
  retryAfter: string,
): void {
  const error = (status: number, message: string, type: string, code: string | null = null) =>
    sendJson(
      res,
      rec,
      status,
      errorJson(message, type, code),
      status === 429 ? { 'retry-after': retryAfter } : {},
    );
  if (fault === '429') error(429, 'Rate limit reached (injected)', 'requests', 'rate_limit_exceeded');
  else if (fault === '500') error(500, 'Internal server error (injected)', 'server_error');
  else if (fault === '503') error(503, 'Service unavailable (injected)', 'server_error');
  else if (fault === 'reset') res.socket?.resetAndDestroy();
  else if (fault === 'malformed' && stream)
    sendEvents(res, rec, ['{"id": "chatcmpl-broken", "choices": [{', '[DONE]']);
  else if (fault === 'malformed')
    sendJson(res, rec, 200, '{"id": "chatcmpl-broken", "object": "chat.completion", "choices": [{"ind');
  else if (fault === 'truncated') sendTruncated(res, rec, stream);
  // 'hang': never answered; close() destroys the socket.
}
