import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { DspyError, isDspyError, type LMResponse } from '@dspy-ts/core';
import { FAULT_HEADER, FaultPlanner } from './faults.js';
import {
  BadRequest,
  completionJson,
  errorJson,
  ROLLOUT_HEADER,
  streamEvents,
  toLMRequest,
} from './protocol.js';
import type { FaultKind, RecordedRequest, TestServer, TestServerOptions } from './types.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * Starts a real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions protocol
 * (`POST /v1/chat/completions`, JSON or SSE, and `GET /v1/models`), answered by any
 * `LanguageModel`, with injectable latency and faults. A rollout id may be passed with the
 * `x-rollout-id` header or a `rollout_id` body field; a fault may be forced per request with the
 * `x-test-fault` header.
 *
 * @example
 * ```ts
 * await using server = await startTestServer({ lm: new ScriptedLM([{ answer: 'Paris' }]),
 *   faults: { sequence: ['429', null], retryAfterSeconds: 0 } });
 * const lm = new LM('openai/gpt-4o-mini', { baseURL: server.url, apiKey: 'test' });
 * ```
 */
export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const planner = new FaultPlanner(options.faults);
  const retryAfter = String(options.faults?.retryAfterSeconds ?? 1);
  const chunkChars = Math.max(1, options.streamChunkChars ?? 8);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let completionSeq = 0;
  let closed = false;

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const send = (res: ServerResponse, rec: RecordedRequest, status: number, body: string, headers = {}) => {
    rec.outcome.status = status;
    if (res.destroyed) return;
    res.writeHead(status, {
      ...JSON_HEADERS,
      'content-length': Buffer.byteLength(body),
      'x-request-id': `req_${rec.index}`,
      ...headers,
    });
    res.end(body);
  };

  const injectFault = (res: ServerResponse, rec: RecordedRequest, fault: FaultKind, stream: boolean) => {
    const socket = res.socket;
    switch (fault) {
      case '429':
        return send(
          res,
          rec,
          429,
          errorJson('Rate limit reached (injected)', 'requests', 'rate_limit_exceeded'),
          {
            'retry-after': retryAfter,
          },
        );
      case '500':
        return send(res, rec, 500, errorJson('Internal server error (injected)', 'server_error'));
      case '503':
        return send(res, rec, 503, errorJson('Service unavailable (injected)', 'server_error'));
      case 'reset':
        socket?.resetAndDestroy();
        return;
      case 'hang':
        return; // Never answered; close() destroys the socket.
      case 'malformed':
        if (stream) {
          rec.outcome.status = 200;
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          res.end('data: {"id": "chatcmpl-broken", "choices": [{\n\ndata: [DONE]\n\n');
          return;
        }
        return send(
          res,
          rec,
          200,
          '{"id": "chatcmpl-broken", "object": "chat.completion", "choices": [{"ind',
        );
      case 'truncated': {
        rec.outcome.status = 200;
        const full = stream
          ? 'data: {"id":"chatcmpl-cut","object":"chat.completion.chunk","created":0,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"par'
          : '{"id":"chatcmpl-cut","object":"chat.completion","created":0,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"partial answer"}}]}';
        const part = full.slice(0, Math.floor(full.length / 2));
        res.writeHead(200, {
          'content-type': stream ? 'text/event-stream' : 'application/json',
          'content-length': Buffer.byteLength(full) + 100,
        });
        res.write(part, () => socket?.destroy());
        return;
      }
    }
  };

  const answer = async (req: IncomingMessage, res: ServerResponse, rec: RecordedRequest, stream: boolean) => {
    const body = rec.body as Record<string, unknown>;
    const rolloutHeader = req.headers[ROLLOUT_HEADER];
    let response: LMResponse;
    let lmRequest: ReturnType<typeof toLMRequest>;
    try {
      lmRequest = toLMRequest(body, typeof rolloutHeader === 'string' ? rolloutHeader : undefined);
    } catch (e) {
      const msg = e instanceof BadRequest ? e.message : String(e);
      return send(res, rec, 400, errorJson(`Invalid request: ${msg}`, 'invalid_request_error'));
    }
    rec.lmRequest = lmRequest;
    try {
      response = await options.lm.call(lmRequest);
    } catch (e) {
      const [status, type] = isDspyError(e, 'LM_RATE_LIMIT')
        ? [429, 'requests']
        : isDspyError(e, 'LM_BAD_REQUEST', 'INPUT_INVALID')
          ? [400, 'invalid_request_error']
          : [500, 'server_error'];
      return send(res, rec, status, errorJson(e instanceof Error ? e.message : String(e), type));
    }
    const model = typeof body.model === 'string' ? body.model : options.lm.model;
    const id = `chatcmpl-${++completionSeq}`;
    const n = lmRequest.n ?? 1;
    if (!stream) return send(res, rec, 200, JSON.stringify(completionJson(id, model, response, n)));
    const so = body.stream_options as { include_usage?: unknown } | undefined;
    const events = streamEvents(id, model, response, n, so?.include_usage === true, chunkChars);
    rec.outcome.status = 200;
    if (res.destroyed) return;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-request-id': `req_${rec.index}`,
    });
    res.end(events.map((e) => `data: ${e}\n\n`).join(''));
  };

  const handleChat = async (req: IncomingMessage, res: ServerResponse, rec: RecordedRequest) => {
    const body = rec.body;
    if (typeof body !== 'object' || body === null) {
      planner.next();
      return send(
        res,
        rec,
        400,
        errorJson('Invalid request: the body must be a JSON object', 'invalid_request_error'),
      );
    }
    const stream = (body as { stream?: unknown }).stream === true;
    rec.outcome.stream = stream;
    const forced = req.headers[FAULT_HEADER];
    const fault = planner.next(typeof forced === 'string' ? forced : undefined);
    rec.outcome.fault = fault;
    const latency =
      typeof options.latencyMs === 'function' ? options.latencyMs(rec) : (options.latencyMs ?? 0);
    if (latency > 0) await delay(latency);
    if (closed || res.destroyed) return;
    if (fault) return injectFault(res, rec, fault, stream);
    return answer(req, res, rec, stream);
  };

  const authorized = (req: IncomingMessage): boolean =>
    options.apiKey === undefined || req.headers.authorization === `Bearer ${options.apiKey}`;

  const route = async (req: IncomingMessage, res: ServerResponse, rec: RecordedRequest) => {
    const isChat = rec.path === '/v1/chat/completions' || rec.path === '/chat/completions';
    const isModels = rec.path === '/v1/models' || rec.path === '/models';
    if ((isChat || isModels) && !authorized(req)) {
      return send(
        res,
        rec,
        401,
        errorJson('Incorrect API key provided (test server)', 'invalid_request_error', 'invalid_api_key'),
      );
    }
    if (isChat && req.method === 'POST') return handleChat(req, res, rec);
    if (isModels && req.method === 'GET') {
      const created = Math.floor(Date.now() / 1000);
      const data = [{ id: options.lm.model, object: 'model', created, owned_by: 'dspy-ts-test' }];
      return send(res, rec, 200, JSON.stringify({ object: 'list', data }));
    }
    return send(
      res,
      rec,
      404,
      errorJson(
        `No route ${req.method} ${rec.path} on the test server`,
        'invalid_request_error',
        'not_found',
      ),
    );
  };

  const server = createServer({ keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      if (text.length > 0) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (k === 'authorization' || k === 'api-key' || v === undefined) continue;
        headers[k] = Array.isArray(v) ? v.join(', ') : v;
      }
      const rec: RecordedRequest = {
        index: requests.length,
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0] ?? '/',
        headers,
        hasAuth: req.headers.authorization !== undefined || req.headers['api-key'] !== undefined,
        body,
        outcome: { fault: null, stream: false },
      };
      requests.push(rec);
      route(req, res, rec).catch((e: unknown) => {
        if (!res.headersSent)
          send(res, rec, 500, errorJson(`Test server failure: ${String(e)}`, 'server_error'));
      });
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) =>
      reject(
        new DspyError(
          'INPUT_INVALID',
          `startTestServer: cannot listen on 127.0.0.1:${options.port ?? 0}: ${e.message}`,
          {
            cause: e,
            details: { where: 'startTestServer({ port })', fix: 'Omit `port` to get a free random port.' },
          },
        ),
      ),
    );
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
    });
    return closing;
  };

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    close,
    [Symbol.asyncDispose]: close,
  };
}
