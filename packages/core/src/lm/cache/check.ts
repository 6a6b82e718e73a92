import type { ToolCall, Usage } from '../types.js';
import type { CachedResponse } from './types.js';

// The shape check of entries read back from a disk or Redis tier (loaded with their work).

const REASONS = new Set(['stop', 'length', 'content_filter', 'tool_calls', 'error', 'unknown']);

function isUsage(u: unknown): u is Usage {
  if (typeof u !== 'object' || u === null) return false;
  const r = u as Record<string, unknown>;
  return (
    typeof r.promptTokens === 'number' &&
    typeof r.completionTokens === 'number' &&
    typeof r.totalTokens === 'number' &&
    (r.reasoningTokens === undefined || typeof r.reasoningTokens === 'number')
  );
}

function isToolCall(c: unknown): c is ToolCall {
  if (typeof c !== 'object' || c === null) return false;
  const r = c as Record<string, unknown>;
  return (
    typeof r.id === 'string' &&
    typeof r.name === 'string' &&
    typeof r.arguments === 'object' &&
    r.arguments !== null &&
    !Array.isArray(r.arguments) &&
    (r.rawArguments === undefined || typeof r.rawArguments === 'string')
  );
}

/** True when `v` has the exact shape of a {@link CachedResponse}. */
export function isCachedResponse(v: unknown): v is CachedResponse {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.text === 'string' &&
    Array.isArray(r.choices) &&
    r.choices.every((c) => typeof c === 'string') &&
    typeof r.model === 'string' &&
    typeof r.finishReason === 'string' &&
    REASONS.has(r.finishReason) &&
    isUsage(r.usage) &&
    (r.toolCalls === undefined || (Array.isArray(r.toolCalls) && r.toolCalls.every(isToolCall))) &&
    (r.reasoning === undefined || typeof r.reasoning === 'string') &&
    (r.reasonings === undefined ||
      (Array.isArray(r.reasonings) && r.reasonings.every((c) => typeof c === 'string')))
  );
}
