import { isSecretKey, isSecretValue, stripSecrets } from '../artifact/secrets.js';
import { DspyError } from '../errors.js';
import { checkKnownKeys } from '../utils/known-keys.js';
import { isPlainObject } from '../utils/plain-object.js';
import { redactDeep } from '../utils/redact.js';
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
  /** `true` (default; for `'offline'`, `false`): the process-wide cache (see `configureCache`); `false`: none; or a `Cache` of your own. */
  readonly cache?: boolean | Cache;
  /** Share identical requests already in flight (default true; only when the call may use the cache). */
  readonly singleFlight?: boolean;
  /** Backoff between retries: `baseMs` (500), `maxMs` (8,000), `maxRetryAfterMs` (60,000). */
  readonly backoff?: Partial<BackoffPolicy>;
  /** Overrides the provider table's answer (does the endpoint honour `json_schema`?). */
  readonly supportsStructuredOutputs?: boolean;
  /** Overrides the provider table's answer (does the endpoint take `tools`, i.e. function calling?). */
  readonly supportsToolCalls?: boolean;
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
  'supportsToolCalls',
  'headers',
  'fetch',
  'extra',
]);

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

/** Names of `extra` body parameters never shown in settings (as the docs list them). */
const SECRET_NAME = /key|token|secret|password|auth|credential/i;

/** Options shown in settings as they are, when set. */
const SHOWN = ['temperature', 'maxTokens', 'n', 'stop', 'timeoutMs', 'numRetries', 'maxConcurrency'] as const;

/** `url` when it carries no credentials (no user info, query or fragment). */
function safeBaseURL(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    if (u.username || u.password || u.search || u.hash) return undefined;
    return url;
  } catch {
    return undefined;
  }
}

/**
 * The values an LM must never show: its API key, and the values of headers and `extra`
 * parameters that are named or shaped like credentials.
 */
export function secretsOf(options: LMOptions, apiKey: string | undefined): string[] {
  const out = apiKey ? [apiKey] : [];
  const named = [...Object.entries(options.headers ?? {}), ...Object.entries(options.extra ?? {})];
  for (const [k, v] of named) {
    if (typeof v === 'string' && (isSecretKey(k) || SECRET_NAME.test(k) || isSecretValue(v))) out.push(v);
  }
  return out;
}

/**
 * The settings of an LM safe to store in an artifact: `model`, the options of {@link SHOWN} when
 * set, `baseURL` only when given and credential-free, and `extra` without entries named or shaped
 * like credentials at any depth, `secrets` masked wherever they still appear.
 */
export function safeSettings(
  model: string,
  options: LMOptions,
  secrets: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { model };
  const base = safeBaseURL(options.baseURL);
  if (base) out.baseURL = base;
  for (const k of SHOWN) if (options[k] !== undefined) out[k] = options[k];
  if (options.cache === false) out.cache = false;
  // A credential is text: a key named like one is dropped when its value is a string (`auth`),
  // while a number or flag under a similar name (`token_limit: 5`) is a setting and stays.
  const extra = Object.entries(options.extra ?? {}).filter(
    ([k, v]) => !(isSecretKey(k) || (SECRET_NAME.test(k) && typeof v === 'string')),
  );
  if (extra.length > 0) out.extra = Object.fromEntries(extra);
  return redactDeep(stripSecrets(out).value, secrets);
}
