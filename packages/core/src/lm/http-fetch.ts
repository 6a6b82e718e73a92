import { isNode } from '../runtime/node-builtins.js';

type FetchFn = typeof globalThis.fetch;

/** Options of {@link createHttpFetch}. */
export interface HttpFetchOptions {
  /** Idle keep-alive sockets kept per host (default 256); set it to at least the LM's `maxConcurrency`. */
  readonly poolSize?: number;
}

/**
 * A lean `fetch` over `node:http` / `node:https` with a keep-alive agent, for the `openai` SDK:
 * it skips most of the per-request work of Node's built-in `fetch` (undici request objects and
 * web streams). Handles string and byte bodies, `AbortSignal`, decompression, and
 * `text/event-stream` responses as a web `ReadableStream`; anything else (a `Request` input, a
 * stream or form body) goes to the global `fetch`. Connection failures reject with a
 * `TypeError` whose `cause` is the socket error, and an aborted request rejects with an
 * `AbortError`, as `fetch` does.
 *
 * @example
 * ```ts
 * const client = new OpenAI({ fetch: createHttpFetch({ poolSize: 64 }) });
 * ```
 */
export function createHttpFetch(options: HttpFetchOptions = {}): FetchFn {
  const poolSize = Math.max(1, options.poolSize ?? 256);
  let lean: FetchFn | undefined;
  const fetch = (input: Parameters<FetchFn>[0], init?: Parameters<FetchFn>[1]): Promise<Response> => {
    if (lean) return lean(input, init);
    // Other runtimes than Node (Bun, Deno, workerd, browsers) use their own fetch.
    if (!isNode()) return globalThis.fetch(input, init);
    // The transport over node:http loads with the first request.
    return import('./http-node.js').then((m) => {
      lean ??= m.leanFetch(poolSize);
      return lean(input, init);
    });
  };
  return fetch as FetchFn;
}
