import { DspyError } from '../errors.js';
import type { Cache } from '../lm/cache/types.js';
import type { EndpointOptions } from '../lm/endpoint.js';
import { checkKnownKeys } from '../utils/known-keys.js';
import { checkNumberOption } from '../utils/number-option.js';
import { isPlainObject } from '../utils/plain-object.js';

/**
 * Turns texts into vectors in process (a local model, a library, a test double): one vector
 * per text, in order.
 */
export type EmbedFunction = (
  texts: string[],
) => Promise<readonly (readonly number[] | Float32Array)[]> | readonly (readonly number[] | Float32Array)[];

/** Options of `new Embedder(fn)` and `new Embedder(model)` alike. */
export interface EmbedderCommonOptions {
  /** Vector length: sent to the endpoint (models that can shorten vectors), and checked on every vector. */
  readonly dimensions?: number;
  /** Texts per request (default 200 for a model, 1,000 for a function). */
  readonly batchSize?: number;
  /** Most requests (or function calls) in flight at once (default 4). */
  readonly maxConcurrency?: number;
}

/** Options of `new Embedder(fn)`. */
export interface FunctionEmbedderOptions extends EmbedderCommonOptions {
  /** The name that stands for the function in cache keys and saved indexes (default `local`). */
  readonly name?: string;
  /** A `Cache` to keep vectors in (default none); needs a `name` that changes with the function. */
  readonly cache?: false | Cache;
}

/** Options of `new Embedder('provider/model')`. Any other key is refused. */
export interface EmbedderOptions extends EmbedderCommonOptions, EndpointOptions {
  /** `true` (default): the process-wide cache (see `configureCache`); `false`: none; or a `Cache` of your own. */
  readonly cache?: boolean | Cache;
}

const COMMON_KEYS = ['dimensions', 'batchSize', 'maxConcurrency'] as const;

/** Every key {@link EmbedderOptions} accepts. */
export const EMBEDDER_OPTION_KEYS: readonly (keyof EmbedderOptions)[] = Object.freeze([
  ...COMMON_KEYS,
  'cache',
  'apiKey',
  'baseURL',
  'timeoutMs',
  'numRetries',
  'backoff',
  'headers',
  'fetch',
  'extra',
]);

/** Every key {@link FunctionEmbedderOptions} accepts. */
export const FUNCTION_EMBEDDER_OPTION_KEYS: readonly (keyof FunctionEmbedderOptions)[] = Object.freeze([
  ...COMMON_KEYS,
  'name',
  'cache',
]);

/**
 * Refuses unknown option keys (with the nearest known one) and numbers out of range: every
 * count is a positive integer.
 */
export function checkEmbedderOptions(
  where: string,
  options: EmbedderOptions | FunctionEmbedderOptions,
  known: readonly string[],
): void {
  checkKnownKeys(where, options, known, 'LM_CONFIG');
  for (const key of COMMON_KEYS) checkNumberOption(where, key, options[key], { integer: true, min: 1 });
  const o = options as EmbedderOptions;
  checkNumberOption(where, 'numRetries', o.numRetries, { integer: true, min: 0 });
  checkNumberOption(where, 'timeoutMs', o.timeoutMs, { min: 1 });
  if (o.extra !== undefined && !isPlainObject(o.extra)) {
    throw new DspyError('LM_CONFIG', `${where}: extra must be a plain object of body parameters`, {
      details: { where, fix: "Pass { extra: { user: 'me' } }, or leave extra out." },
    });
  }
  const f = options as FunctionEmbedderOptions;
  if (known === FUNCTION_EMBEDDER_OPTION_KEYS && f.cache && !f.name) {
    throw new DspyError('LM_CONFIG', `${where}: a cache needs a name for the function`, {
      details: {
        where,
        fix: "Pass { name: 'my-model-v1', cache } with a name that changes whenever the function's vectors do.",
      },
    });
  }
}
