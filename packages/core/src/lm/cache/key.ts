import { createHash } from 'node:crypto';
import { canonicalJson } from '../../signature/spec.js';
import type { EffectiveParams } from '../params.js';
import type { ChatMessage } from '../types.js';

/** Version of the key recipe; bump it when the recipe changes. */
const KEY_VERSION = 1;

/**
 * SHA-256 (hex) of the canonical request: model, messages, effective parameters, `n`,
 * response format and rollout id. Never the API key or the base URL.
 *
 * @example
 * ```ts
 * cacheKey('openai/gpt-4o-mini', [{ role: 'user', content: 'hi' }], { temperature: 0 });
 * ```
 */
export function cacheKey(
  model: string,
  messages: readonly ChatMessage[],
  params: EffectiveParams,
  rolloutId?: string | number,
): string {
  const canonical = canonicalJson({
    v: KEY_VERSION,
    model,
    messages: messages.map((m) => ({ role: m.role, content: m.content })),
    temperature: params.temperature,
    maxTokens: params.maxTokens,
    n: params.n ?? 1,
    stop: params.stop,
    responseFormat: params.responseFormat,
    extra: params.extra,
    rolloutId,
  });
  return createHash('sha256').update(canonical).digest('hex');
}
