import { sha256Hex } from '../../runtime/sha256.js';
import { canonicalJson } from '../../signature/spec.js';
import type { EffectiveParams } from '../params.js';
import type { ChatMessage, ContentPart } from '../types.js';

/**
 * The content parts of a message as key text: each media part by the SHA-256 of its bytes (the
 * base64 payload is never hashed again), or by its URL when the bytes are unknown.
 */
function partsKey(parts: readonly ContentPart[]): string {
  return parts
    .map((p) => {
      if (p.type === 'text') return `t${p.text.length}`;
      if (p.sha256) return `${p.type}:${p.sha256}`;
      return `${p.type}:${canonicalJson(p.type === 'image_url' ? p.url : '')}`;
    })
    .join(',');
}

/** Version of the key recipe; bump it when the recipe changes. */
const KEY_VERSION = 3;

/**
 * SHA-256 (hex) of the canonical request: model, messages (with their tool calls and tool
 * call ids), effective parameters, `n`, response format, tools, tool choice and rollout id. Never the API key or the base URL. The canonical form is
 * a fixed-order JSON array of the scalar parameters (objects inside it with sorted keys), so
 * equal requests give equal keys whatever the order of their properties, followed by each
 * message as `role`, content length and content. The messages are not JSON-encoded: the
 * length prefixes keep the form unambiguous, and a long prompt is hashed without a pass of
 * string escaping first (the cost of a cache hit is mostly this key).
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
  let text = JSON.stringify([
    KEY_VERSION,
    model,
    messages.length,
    params.temperature ?? null,
    params.maxTokens ?? null,
    params.n ?? 1,
    params.stop ?? null,
    rolloutId ?? null,
  ]);
  if (params.responseFormat) text += `rf${canonicalJson(params.responseFormat)}`;
  if (params.extra && Object.keys(params.extra).length > 0) text += `ex${canonicalJson(params.extra)}`;
  // Tools and tool messages add to the text only where present: keys of requests without them
  // are those of the earlier recipe, so their cached answers stay valid.
  if (params.tools && params.tools.length > 0) text += `tl${canonicalJson(params.tools)}`;
  if (params.toolChoice !== undefined) text += `tc${canonicalJson(params.toolChoice)}`;
  for (const m of messages) {
    text += `\n${m.role}:${m.content.length}:${m.content}`;
    if (m.role === 'tool') text += `\nid:${canonicalJson(m.toolCallId)}`;
    else if (m.role === 'user' && m.parts) text += `\nparts:${partsKey(m.parts)}`;
    else if (m.role === 'assistant' && m.toolCalls && m.toolCalls.length > 0)
      text += `\ncalls:${canonicalJson(m.toolCalls)}`;
  }
  return sha256Hex(text);
}
