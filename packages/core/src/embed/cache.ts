import type { CachedResponse } from '../lm/cache/types.js';
import { sha256Hex } from '../runtime/sha256.js';
import { float32FromBase64, float32ToBase64 } from './base64.js';

/** Version of the key recipe; bump it when the recipe changes. */
const KEY_VERSION = 1;

/**
 * SHA-256 (hex) of one text's embedding request: model, dimensions and text. Its form never
 * matches a chat request's key (those start with a JSON array of numbers), so both share a cache.
 */
export function embeddingKey(model: string, dimensions: number | undefined, text: string): string {
  return sha256Hex(`embedding:${KEY_VERSION}:${JSON.stringify([model, dimensions ?? null])}:${text}`);
}

/**
 * The cache entry of one vector: LM caches keep responses, so the vector rides as the text of
 * one (its float32 bytes in base64), with no usage (a hit costs nothing).
 */
export function toCacheEntry(model: string, vec: Float32Array): CachedResponse {
  return {
    text: float32ToBase64(vec),
    choices: [],
    model,
    finishReason: 'stop',
    usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
  };
}

/** The vector of a cache entry made by {@link toCacheEntry}, or `undefined` when it is not one of `dimensions`. */
export function fromCacheEntry(
  entry: CachedResponse,
  dimensions: number | undefined,
): Float32Array | undefined {
  if (entry.choices.length !== 0) return undefined;
  const vec = float32FromBase64(entry.text);
  if (vec.length === 0 || (dimensions !== undefined && vec.length !== dimensions)) return undefined;
  return vec;
}
