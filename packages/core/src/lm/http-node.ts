/**
 * The `node:http` / `node:https` transport of {@link createHttpFetch}, loaded with the first
 * request on Node itself: other runtimes use their own `fetch` and never load it. @internal
 */
import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import { isNode, optionalNodeBuiltin } from '../runtime/node-builtins.js';
import { LeanHeaders, LeanResponse } from './lean-response.js';

/**
 * Node's HTTP, HTTPS and zlib modules, looked up with the first request (importing core stays
 * light, and bundlers for the web see no Node built-in).
 */
interface NetModules {
  readonly http: typeof import('node:http');
  readonly https: typeof import('node:https');
  readonly zlib: typeof import('node:zlib');
}

let net: NetModules | null | undefined;

/** Node's modules on Node itself, else `null`: other runtimes use their own `fetch`. */
function loadNet(): NetModules | null {
  if (net !== undefined) return net;
  const http = isNode() ? optionalNodeBuiltin('node:http') : undefined;
  const https = optionalNodeBuiltin('node:https');
  const zlib = optionalNodeBuiltin('node:zlib');
  net = http && https && zlib ? { http, https, zlib } : null;
  return net;
}

type FetchFn = typeof globalThis.fetch;

const agents = new Map<string, HttpAgent>();

/** Parsed request URLs: an LM sends every request to the same few URLs. */
const urls = new Map<string, URL>();

function parsedURL(href: string): URL {
  let url = urls.get(href);
  if (!url) {
    if (urls.size >= 64) urls.clear();
    url = new URL(href);
    urls.set(href, url);
  }
  return url;
}

/** A process-wide keep-alive agent per protocol and pool size (copies of an LM share it). */
function agentFor(mods: NetModules, https: boolean, poolSize: number): HttpAgent {
  const key = `${https ? 'https' : 'http'}:${poolSize}`;
  let agent = agents.get(key);
  if (!agent) {
    // Sockets are not capped: a stream being read after its concurrency slot was released
    // must never block another request. Idle sockets are kept up to the pool size, and closed
    // after 4 s idle (sooner if the server's Keep-Alive hint says so), as undici does, so a
    // socket the server has dropped is rarely reused. The agent's timeout only ever closes
    // idle sockets; requests have their own (the SDK's).
    const opts = { keepAlive: true, maxFreeSockets: poolSize, scheduling: 'lifo' as const, timeout: 4_000 };
    agent = https ? new mods.https.Agent(opts) : new mods.http.Agent(opts);
    agents.set(key, agent);
  }
  return agent;
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && (reason.name === 'AbortError' || reason.name === 'TimeoutError'))
    return reason;
  return new DOMException('This operation was aborted', 'AbortError');
}

/**
 * The request's header lines as Node's flat `[name, value, ...]` list, with `host` and
 * `content-length` set here (a list is written as given, without `setHeader`'s per-header work).
 */
function headerLines(headers: RequestInit['headers'], url: URL, length: number | undefined): string[] {
  const out: string[] = [];
  let host = false;
  const add = (k: string, v: string) => {
    const name = k.toLowerCase();
    if (name === 'content-length') return;
    if (name === 'host') host = true;
    out.push(name, v);
  };
  if (headers instanceof Headers) {
    headers.forEach((v, k) => {
      add(k, v);
    });
  } else if (Array.isArray(headers)) {
    for (const [k, v] of headers) if (k !== undefined && v !== undefined) add(k, v);
  } else if (headers) {
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) add(k, String(v));
  }
  if (!host) out.push('host', url.host);
  if (length !== undefined) out.push('content-length', String(length));
  return out;
}

/** The decoded body stream of a response (`gzip`, `deflate` and `br` are undone, as `fetch` does). */
function decoded(
  zlib: NetModules['zlib'],
  res: IncomingMessage,
  encoding: string | null,
): NodeJS.ReadableStream {
  const enc = (encoding ?? '').toLowerCase().trim();
  const decoder =
    enc === 'gzip' || enc === 'x-gzip'
      ? zlib.createGunzip()
      : enc === 'deflate'
        ? zlib.createInflate()
        : enc === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  if (!decoder) return res;
  res.on('error', (err) => decoder.destroy(err));
  return res.pipe(decoder);
}

function truncated(cause?: unknown): Error {
  return new TypeError('terminated: the response body ended early', { cause });
}

/** Reads a whole body; rejects when the connection ends before it is complete. */
function readAll(res: IncomingMessage, body: NodeJS.ReadableStream, signal?: AbortSignal): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const fail = (err?: unknown) => reject(signal?.aborted ? abortError(signal) : truncated(err));
    body.on('data', (c: Buffer) => chunks.push(c));
    body.on('error', fail);
    body.on('end', () =>
      res.complete ? resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)) : fail(),
    );
    res.on('close', () => {
      if (!res.complete) fail();
    });
  });
}

/** A web `ReadableStream` over a Node stream, with backpressure (the SDK's SSE reader reads it). */
function webStream(res: IncomingMessage, body: NodeJS.ReadableStream): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      body.on('data', (c: Buffer) => {
        controller.enqueue(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) body.pause();
      });
      body.on('end', () => (res.complete ? controller.close() : controller.error(truncated())));
      body.on('error', (err) => controller.error(truncated(err)));
      res.on('close', () => {
        if (!res.complete) controller.error(truncated());
      });
    },
    pull() {
      body.resume();
    },
    cancel() {
      res.destroy();
    },
  });
}

/** The lean `fetch` of {@link createHttpFetch} with `poolSize` idle sockets per host. */
export function leanFetch(poolSize: number): FetchFn {
  const lean = (input: Parameters<FetchFn>[0], init?: Parameters<FetchFn>[1]): Promise<Response> => {
    const mods = loadNet();
    if (!mods) return globalThis.fetch(input, init);
    const body = init?.body;
    const plainBody = body == null || typeof body === 'string' || body instanceof Uint8Array;
    if (!(typeof input === 'string' || input instanceof URL) || !plainBody) {
      return globalThis.fetch(input, init);
    }
    const url = typeof input === 'string' ? parsedURL(input) : input;
    const https = url.protocol === 'https:';
    if (!https && url.protocol !== 'http:') return globalThis.fetch(input, init);
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const headers = headerLines(init?.headers, url, body == null ? undefined : Buffer.byteLength(body));
    const method = (init?.method ?? 'GET').toUpperCase();
    return new Promise<Response>((resolve, reject) => {
      let onAbort: (() => void) | undefined;
      const req = (https ? mods.https.request : mods.http.request)(
        {
          protocol: url.protocol,
          hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method,
          headers,
          agent: agentFor(mods, https, poolSize),
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const init = {
            status,
            statusText: res.statusMessage ?? '',
            headers: new LeanHeaders(res.rawHeaders),
            url: url.href,
          };
          // Read from the raw list: `res.headers` would build a second header object.
          const stream = decoded(mods.zlib, res, init.headers.get('content-encoding'));
          const done = () => {
            if (onAbort) signal?.removeEventListener('abort', onAbort);
          };
          const isStream = (init.headers.get('content-type') ?? '').includes('event-stream');
          if (isStream && status >= 200 && status < 300) {
            res.on('close', done);
            resolve(new LeanResponse(init, { kind: 'stream', stream: webStream(res, stream) }));
          } else {
            const bytes = readAll(res, stream, signal);
            bytes.then(done, done);
            resolve(new LeanResponse(init, { kind: 'buffered', bytes }));
          }
        },
      );
      if (signal) {
        onAbort = () => {
          const err = abortError(signal);
          req.destroy(err);
          reject(err);
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
      req.on('error', (err) => {
        if (onAbort) signal?.removeEventListener('abort', onAbort);
        reject(signal?.aborted ? abortError(signal) : new TypeError('fetch failed', { cause: err }));
      });
      req.end(body ?? undefined);
    });
  };
  return lean as FetchFn;
}
