import { DspyError } from '../errors.js';
import { checkKnownKeys } from '../utils/known-keys.js';
import type { BackoffPolicy } from './backoff.js';
import type { Cache } from './cache/types.js';

/** Options of `LM`. Any other key is refused: provider-specific body parameters go under `extra`. */
export interface LMOptions {
  /** API key; default: the provider's environment variable (`OPENAI_API_KEY`, ...). Never stored in settings, cache, history or errors. */
  readonly apiKey?: string;
  /** Any OpenAI-compatible endpoint (ends before `/chat/completions`). */
  readonly baseURL?: string;
  readonly temperature?: number;
  readonly maxTokens?: number;
  /** Completions per request (default 1). */
  readonly n?: number;
  readonly stop?: readonly string[];
  /** Per-attempt timeout in ms (default 600,000, the SDK's). */
  readonly timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  readonly numRetries?: number;
  /** Most requests of this LM in flight at once (default unbounded). */
  readonly maxConcurrency?: number;
  /** `true` (default): the process-wide cache (see `configureCache`); `false`: none; or a `Cache` of your own. */
  readonly cache?: boolean | Cache;
  /** Share identical requests already in flight (default true; only when the call may use the cache). */
  readonly singleFlight?: boolean;
  /** Backoff between retries: `baseMs` (500), `maxMs` (8,000), `maxRetryAfterMs` (60,000). */
  readonly backoff?: Partial<BackoffPolicy>;
  /** Overrides the provider table's answer (does the endpoint honour `json_schema`?). */
  readonly supportsStructuredOutputs?: boolean;
  /** Extra HTTP headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A `fetch` of your own (proxies, tests); default: a keep-alive `node:http` transport. Pass `globalThis.fetch` for Node's built-in `fetch`. */
  readonly fetch?: typeof globalThis.fetch;
  /** Provider-specific body parameters sent with every request as they are (`{ top_p: 0.9, seed: 7 }`); a request's own `extra` wins. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Every key {@link LMOptions} accepts. */
export const LM_OPTION_KEYS: readonly (keyof LMOptions)[] = Object.freeze([
  'apiKey',
  'baseURL',
  'temperature',
  'maxTokens',
  'n',
  'stop',
  'timeoutMs',
  'numRetries',
  'maxConcurrency',
  'cache',
  'singleFlight',
  'backoff',
  'supportsStructuredOutputs',
  'headers',
  'fetch',
  'extra',
]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Refuses option keys `LM` does not know (with the nearest known one: `maxRetries` → `numRetries`)
 * and an `extra` that is not a plain object.
 */
export function checkLMOptions(model: string, options: LMOptions): void {
  const where = `new LM('${model}')`;
  checkKnownKeys(
    where,
    options,
    LM_OPTION_KEYS,
    'LM_CONFIG',
    'Provider-specific body parameters go under { extra: { ... } }.',
  );
  if (options.extra !== undefined && !isPlainObject(options.extra)) {
    throw new DspyError('LM_CONFIG', `${where}: extra must be a plain object of body parameters`, {
      details: { where, fix: 'Pass { extra: { top_p: 0.9, seed: 7 } }, or leave extra out.' },
    });
  }
}
