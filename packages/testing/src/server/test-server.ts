import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { DspyError, isDspyError, type LMRequest, type LMResponse } from '@dspy-ts/core';
import { keepLimit, pushNewest } from '../keep-newest.js';
import { embeddingsJson } from './embeddings.js';
import { FAULT_HEADER, FaultPlanner } from './faults.js';
import {
  BadRequest,
  completionJson,
  errorJson,
  ROLLOUT_HEADER,
  streamEvents,
  toLMRequest,
} from './protocol.js';
import { injectFault, sendEvents, sendJson } from './respond.js';
import type { RecordedRequest, TestServer, TestServerOptions } from './types.js';

const CHAT_PATHS = new Set(['/v1/chat/completions', '/chat/completions']);
const MODEL_PATHS = new Set(['/v1/models', '/models']);
const EMBEDDING_PATHS = new Set(['/v1/embeddings', '/embeddings']);

/** Credentials are never recorded; their presence is. */
const CREDENTIALS = new Set(['authorization', 'api-key']);

/**
 * A request as recorded: headers without credentials (read from Node's raw list, lower-cased,
 * repeats joined with `, `), body parsed when it is JSON.
 */
function record(req: IncomingMessage, text: string, index: number): RecordedRequest {
  let body: unknown;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  const raw = req.rawHeaders;
  const headers: Record<string, string> = {};
  let hasAuth = false;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = (raw[i] as string).toLowerCase();
    if (CREDENTIALS.has(k)) {
      hasAuth = true;
      continue;
    }
    if (k === '__proto__') continue;
    const v = raw[i + 1] as string;
    const had = Object.hasOwn(headers, k) ? headers[k] : undefined;
    headers[k] = had === undefined ? v : `${had}, ${v}`;
  }
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  return {
    index,
    method: req.method ?? 'GET',
    path: query < 0 ? url : url.slice(0, query),
    headers,
    hasAuth,
    body,
    outcome: { fault: null, stream: false },
  };
}

/** The first value of a request header, from the raw list (`req.headers` is built on first use). */
function rawHeader(req: IncomingMessage, name: string): string | undefined {
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2)
    if ((raw[i] as string).toLowerCase() === name) return raw[i + 1];
  return undefined;
}

/** HTTP status and OpenAI error type for an error thrown by the backing model. */
function errorStatus(e: unknown): [number, string] {
  if (isDspyError(e, 'LM_RATE_LIMIT')) return [429, 'requests'];
  if (isDspyError(e, 'LM_BAD_REQUEST', 'INPUT_INVALID')) return [400, 'invalid_request_error'];
  return [500, 'server_error'];
}

/** The server behind {@link startTestServer}. */
class OpenAITestServer {
  readonly requests: RecordedRequest[] = [];
  private readonly planner: FaultPlanner;
  private readonly retryAfter: string;
  private readonly chunkChars: number;
  private readonly reasoningKey: 'reasoning_content' | 'reasoning';
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private readonly keepLimit: number;
  private arrived = 0;
  /** How much earlier than its due time a timer is started (see {@link at}), in ms. */
  private lateness = 0;
  private completionSeq = 0;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: TestServerOptions) {
    this.planner = new FaultPlanner(options.faults);
    this.retryAfter = String(options.faults?.retryAfterSeconds ?? 1);
    this.chunkChars = Math.max(1, options.streamChunkChars ?? 8);
    this.reasoningKey = options.reasoningKey ?? 'reasoning_content';
    this.keepLimit = keepLimit(options.keepRequests, 'startTestServer({ keepRequests })', 'INPUT_INVALID');
    this.server = createServer({ keepAlive: true }, (req, res) => this.receive(req, res));
    this.server.keepAliveTimeout = 30_000;
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  /** How many requests arrived, counting those `keepRequests` no longer keeps. */
  get received(): number {
    return this.arrived;
  }

  /** Listens on 127.0.0.1 and resolves with the port. */
  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', (e) =>
        reject(
          new DspyError(
            'INPUT_INVALID',
            `startTestServer: cannot listen on 127.0.0.1:${port}: ${e.message}`,
            {
              cause: e,
              details: { where: 'startTestServer({ port })', fix: 'Omit `port` to get a free random port.' },
            },
          ),
        ),
      );
      this.server.listen(port, '127.0.0.1', () => {
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  }

  /** Stops listening and destroys every socket, idle or hanging; idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    // The latency clock starts when the request's head has arrived.
    const arrived = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const data = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      const rec = record(req, data.toString('utf8'), this.arrived++);
      pushNewest(this.requests, this.keepLimit, rec);
      this.guard(res, rec, () => this.route(req, res, rec, arrived));
    });
  }

  /** Runs a step of answering; what it throws or rejects with becomes a 500, unless an answer began. */
  private guard(res: ServerResponse, rec: RecordedRequest, step: () => void | Promise<void>): void {
    try {
      step()?.catch((e: unknown) => this.fail(res, rec, e));
    } catch (e) {
      this.fail(res, rec, e);
    }
  }

  private fail(res: ServerResponse, rec: RecordedRequest, e: unknown): void {
    if (!res.headersSent)
      sendJson(res, rec, 500, errorJson(`Test server failure: ${String(e)}`, 'server_error'));
  }

  private route(
    req: IncomingMessage,
    res: ServerResponse,
    rec: RecordedRequest,
    arrived: number,
  ): void | Promise<void> {
    const isChat = CHAT_PATHS.has(rec.path);
    const isModels = MODEL_PATHS.has(rec.path);
    const isEmbeddings = EMBEDDING_PATHS.has(rec.path);
    const key = this.options.apiKey;
    if (
      (isChat || isModels || isEmbeddings) &&
      key !== undefined &&
      rawHeader(req, 'authorization') !== `Bearer ${key}`
    ) {
      const body = errorJson(
        'Incorrect API key provided (test server)',
        'invalid_request_error',
        'invalid_api_key',
      );
      return sendJson(res, rec, 401, body);
    }
    if (isChat && req.method === 'POST') return this.chat(res, rec, arrived);
    if (isEmbeddings && req.method === 'POST') return this.embeddings(res, rec, arrived);
    if (isModels && req.method === 'GET') {
      const created = Math.floor(Date.now() / 1000);
      const lm = this.options.lm;
      const data = lm ? [{ id: lm.model, object: 'model', created, owned_by: 'dspy-ts-test' }] : [];
      return sendJson(res, rec, 200, JSON.stringify({ object: 'list', data }));
    }
    const msg = `No route ${req.method} ${rec.path} on the test server`;
    return sendJson(res, rec, 404, errorJson(msg, 'invalid_request_error', 'not_found'));
  }

  private chat(res: ServerResponse, rec: RecordedRequest, arrived: number): void | Promise<void> {
    return this.serve(res, rec, arrived, (body, stream) => this.answer(rec, body, stream));
  }

  /** Answers `POST /v1/embeddings` from the hashing embedding, with the same faults and latency as chat. */
  private embeddings(res: ServerResponse, rec: RecordedRequest, arrived: number): void | Promise<void> {
    return this.serve(res, rec, arrived, async (body) => {
      let json: string;
      try {
        json = embeddingsJson(body);
      } catch (e) {
        const msg = e instanceof BadRequest ? e.message : String(e);
        const error = errorJson(`Invalid request: ${msg}`, 'invalid_request_error');
        return (r) => sendJson(r, rec, 400, error);
      }
      return (r) => sendJson(r, rec, 200, json);
    });
  }

  /**
   * Answers a model request (chat or embeddings): a body that is not a JSON object is a 400;
   * else the planned fault, or the answer `build` makes, leaves once the latency has passed.
   */
  private serve(
    res: ServerResponse,
    rec: RecordedRequest,
    arrived: number,
    build: (body: Record<string, unknown>, stream: boolean) => Promise<(res: ServerResponse) => void>,
  ): void | Promise<void> {
    const body = rec.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      this.planner.next();
      const msg = 'Invalid request: the body must be a JSON object';
      return sendJson(res, rec, 400, errorJson(msg, 'invalid_request_error'));
    }
    const stream = (body as { stream?: unknown }).stream === true;
    rec.outcome.stream = stream;
    const fault = this.planner.next(rec.headers[FAULT_HEADER]);
    rec.outcome.fault = fault;
    const latency = this.options.latencyMs;
    const ms = typeof latency === 'function' ? latency(rec) : (latency ?? 0);
    const due = ms > 0 ? arrived + ms : 0;
    if (fault) {
      this.at(due, res, () => injectFault(res, rec, fault, stream, this.retryAfter));
      return;
    }
    // The model answers now; the answer leaves when the latency has passed, so the time the
    // model took counts toward the latency, as it does at a hosted provider.
    return build(body as Record<string, unknown>, stream).then((send) =>
      this.at(due, res, () => this.guard(res, rec, () => send(res))),
    );
  }

  /** Builds the answer to a chat request: a function that sends it. */
  private async answer(
    rec: RecordedRequest,
    body: Record<string, unknown>,
    stream: boolean,
  ): Promise<(res: ServerResponse) => void> {
    let lmRequest: LMRequest;
    try {
      lmRequest = toLMRequest(body, rec.headers[ROLLOUT_HEADER]);
    } catch (e) {
      const msg = e instanceof BadRequest ? e.message : String(e);
      const error = errorJson(`Invalid request: ${msg}`, 'invalid_request_error');
      return (res) => sendJson(res, rec, 400, error);
    }
    rec.lmRequest = lmRequest;
    const lm = this.options.lm;
    if (!lm) {
      const error = errorJson(
        'This test server has no chat model: pass { lm } to startTestServer',
        'invalid_request_error',
        'model_not_found',
      );
      return (res) => sendJson(res, rec, 404, error);
    }
    let response: LMResponse;
    try {
      response = await lm.call(lmRequest);
    } catch (e) {
      const [status, type] = errorStatus(e);
      const error = errorJson(e instanceof Error ? e.message : String(e), type);
      return (res) => sendJson(res, rec, status, error);
    }
    const model = typeof body.model === 'string' ? body.model : lm.model;
    const id = `chatcmpl-${++this.completionSeq}`;
    const n = lmRequest.n ?? 1;
    if (!stream) {
      const json = JSON.stringify(completionJson(id, model, response, n, this.reasoningKey));
      return (res) => sendJson(res, rec, 200, json);
    }
    const includeUsage =
      (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    const events = streamEvents(id, model, response, n, includeUsage, this.chunkChars, this.reasoningKey);
    return (res) => sendEvents(res, rec, events);
  }

  /**
   * Runs `send` at `due` (a `performance.now()` time; at once when it has passed), unless the
   * server closes or the client goes away first. Timers fire on whole milliseconds, mostly
   * late; the server learns by how much and starts its timers that much earlier, so answers
   * leave on average at their due time rather than up to a millisecond after it.
   */
  private at(due: number, res: ServerResponse, send: () => void): void {
    const fire = () => {
      if (this.closing || res.destroyed) return;
      send();
    };
    // An answer the model gave after `close()` gets no timer to hold the process open.
    if (this.closing) return;
    // Whole milliseconds: timers of one duration share a list, a list per fraction would not.
    const wait = Math.round(due - performance.now() - this.lateness);
    if (!(wait >= 1)) {
      fire();
      return;
    }
    // Not kept in a collection for `close()`: a set that every request enters and leaves keeps
    // the requests' objects reachable from its discarded tables until a full collection, which
    // made every young-generation collection copy them. A timer left after `close()` does nothing
    // when it fires, and, unreferenced, never holds the process open.
    setTimeout(() => {
      // Integrates how late timers fire past their due time, within one millisecond (the
      // timer's granularity): a busy event loop must not make later answers leave early.
      this.lateness = Math.min(1, Math.max(0, this.lateness + 0.1 * (performance.now() - due)));
      fire();
    }, wait).unref();
  }
}

/**
 * Starts a real HTTP server on 127.0.0.1 speaking the OpenAI protocol: `POST /v1/chat/completions`
 * (JSON or SSE) answered by any `LanguageModel`, `POST /v1/embeddings` answered by
 * {@link hashingEmbedding} (`float` or `base64` vectors, 384 dimensions unless the request's
 * `dimensions` says otherwise), and `GET /v1/models`, with injectable latency and faults on both
 * model routes. A rollout id may be passed with the
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
  const server = new OpenAITestServer(options);
  const port = await server.listen(options.port ?? 0);
  const close = () => server.close();
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests: server.requests,
    get received() {
      return server.received;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
