import type { LanguageModel, LMRequest } from '@dspy-ts/core';

/**
 * A fault the test server can inject instead of a normal answer:
 * - `'429'`: status 429 with a `Retry-After` header (seconds);
 * - `'500'`, `'503'`: server errors with an OpenAI-style JSON error body;
 * - `'reset'`: the connection is reset (socket destroyed) without an answer;
 * - `'hang'`: the request is never answered (for client timeouts);
 * - `'malformed'`: status 200 with a body that is not valid JSON (or a broken SSE event);
 * - `'truncated'`: status 200 whose `Content-Length` is larger than the bytes sent before
 *   the connection closes (a stream is cut after its first chunks).
 */
export type FaultKind = '429' | '500' | '503' | 'reset' | 'hang' | 'malformed' | 'truncated';

/** Every {@link FaultKind}, in a fixed order. */
export const FAULT_KINDS: readonly FaultKind[] = Object.freeze([
  '429',
  '500',
  '503',
  'reset',
  'hang',
  'malformed',
  'truncated',
]);

/**
 * Which requests get a fault. Precedence, per request: the `x-test-fault` request header,
 * then `sequence` (while it lasts), then `always`, then `rate`.
 */
export interface FaultOptions {
  /** Fault of the i-th model request (chat or embeddings; 0-based, counted over the server's life); `null` answers normally. */
  readonly sequence?: readonly (FaultKind | null)[];
  /** A fault injected into every model request (after `sequence` runs out). */
  readonly always?: FaultKind;
  /** Probability (0..1) that a model request (chat or embeddings) gets a fault, drawn with a seeded RNG. */
  readonly rate?: number;
  /** Kinds `rate` chooses among, uniformly (default: `429`, `500`, `503`, `reset`, `malformed`, `truncated`). */
  readonly kinds?: readonly FaultKind[];
  /** Seed of the RNG behind `rate` (default 0): the same seed gives the same faults in the same order. */
  readonly seed?: number;
  /** The `Retry-After` value of a 429, in seconds (default 1; may be fractional, e.g. 0.01). */
  readonly retryAfterSeconds?: number;
}

/** Time from a request's arrival to its answer, in ms: a number, or a function of the recorded request. */
export type LatencyOption = number | ((request: RecordedRequest) => number);

/** Options of {@link startTestServer}. */
export interface TestServerOptions {
  /** The model that answers chat requests (without one, chat requests get a 404; embeddings need none). */
  readonly lm?: LanguageModel;
  /**
   * Time from a model request's (chat or embeddings) arrival to its answer or fault (default 0). The model is asked on
   * arrival and its time counts toward the latency; a slower answer leaves when it is ready.
   */
  readonly latencyMs?: LatencyOption;
  /** Injected faults (default none). */
  readonly faults?: FaultOptions;
  /** Port on 127.0.0.1 (default 0: a free random port). */
  readonly port?: number;
  /** When set, chat, embeddings and model-list requests must carry `Authorization: Bearer <apiKey>`, else 401. */
  readonly apiKey?: string;
  /**
   * The message key that carries the model's own reasoning (an `LMResponse.reasoning`, e.g. from
   * `ScriptedLM`'s `reasoning` option): `reasoning_content` (default) or `reasoning`.
   */
  readonly reasoningKey?: 'reasoning_content' | 'reasoning';
  /** Characters per SSE content chunk (default 8). */
  readonly streamChunkChars?: number;
  /**
   * How many recorded requests `requests` keeps, the newest (default: all). Set it for long runs
   * such as benchmarks, where keeping every request costs memory and garbage-collection time;
   * `received` and each record's `index` still count every request.
   */
  readonly keepRequests?: number;
}

/** What the server answered to one request. */
export interface RecordedOutcome {
  /** HTTP status sent (absent for `reset` and `hang`, and while pending). */
  status?: number;
  /** The injected fault, or `null` when answered normally. */
  fault: FaultKind | null;
  /** True when the answer was streamed as SSE. */
  stream: boolean;
}

/** One request the server received. */
export interface RecordedRequest {
  /** 0-based order of arrival over all routes. */
  readonly index: number;
  readonly method: string;
  /** Path without query string, e.g. `/v1/chat/completions`. */
  readonly path: string;
  /** Request headers, lower-cased, without `authorization` and `api-key`. */
  readonly headers: Readonly<Record<string, string>>;
  /** True when an `authorization` or `api-key` header was present (its value is never kept). */
  readonly hasAuth: boolean;
  /** The parsed JSON body, or the raw text when it was not JSON, or `undefined` when empty. */
  readonly body: unknown;
  /** The request handed to the model (chat requests answered by the model only). */
  lmRequest?: LMRequest;
  /** What was answered; filled in when the answer is sent. */
  readonly outcome: RecordedOutcome;
}

/**
 * `[Symbol.asyncDispose]()` where the TypeScript lib in use declares `Symbol.asyncDispose`
 * (`esnext.disposable`, or Node's types), and nothing where it does not: the declarations of this
 * package then compile with a plain `lib: ["es2022"]` too.
 */
export type AsyncDisposableWhereDeclared = SymbolConstructor extends {
  readonly asyncDispose: infer S extends symbol;
}
  ? { [K in S]: () => PromiseLike<void> }
  : unknown;

/** A running test server; `await using server = await startTestServer(...)` closes it at scope end. */
export type TestServer = TestServerHandle & AsyncDisposableWhereDeclared;

/** The members of a {@link TestServer}. */
export interface TestServerHandle {
  /** Base URL ending in `/v1`, e.g. `http://127.0.0.1:40123/v1`. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order of arrival (live array; only the newest with `keepRequests`). */
  readonly requests: RecordedRequest[];
  /** How many requests have arrived (all of them, also those `keepRequests` let go). */
  readonly received: number;
  /** Stops the server, destroying open and hanging connections; safe to call twice. */
  close(): Promise<void>;
}
