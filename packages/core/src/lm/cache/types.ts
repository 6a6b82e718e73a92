import type { FinishReason, ToolCall, Usage } from '../types.js';

/** What a cache keeps of one LM response (the usage is the original call's, for reference). */
export interface CachedResponse {
  readonly text: string;
  readonly choices: readonly string[];
  readonly model: string;
  readonly finishReason: FinishReason;
  readonly usage: Usage;
  /** The first completion's tool calls, when it made any. */
  readonly toolCalls?: readonly ToolCall[];
  /** The first completion's own reasoning (a reasoning model's `reasoning_content`), when any. */
  readonly reasoning?: string;
  /** Every completion's own reasoning, when any completion has some. */
  readonly reasonings?: readonly string[];
}

/**
 * A store of LM responses keyed by the SHA-256 of the canonical request. Implementations
 * copy on the way in and out: no caller ever shares a mutable object with the cache.
 * `MemoryCache`, `DiskCache` and `TieredCache` implement it; one contract test suite runs
 * against each.
 */
export interface Cache {
  /** A short name for logs (`memory`, `disk:/path`). */
  readonly name: string;
  /** The entry, or `undefined` on a miss (a corrupt entry is a miss). */
  get(key: string): Promise<CachedResponse | undefined>;
  /** Optional synchronous lookup of the memory layer (the fast path of a hit); a miss says nothing about disk. */
  peek?(key: string): CachedResponse | undefined;
  /** Stores an entry, replacing any previous one. */
  set(key: string, value: CachedResponse): Promise<void>;
  delete(key: string): Promise<void>;
  /** Removes every entry. */
  clear(): Promise<void>;
}

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

/** A deep copy of an entry (strings are immutable; arrays and objects are new). */
export function copyCached(v: CachedResponse): CachedResponse {
  return {
    text: v.text,
    choices: [...v.choices],
    model: v.model,
    finishReason: v.finishReason,
    usage: {
      promptTokens: v.usage.promptTokens,
      completionTokens: v.usage.completionTokens,
      totalTokens: v.usage.totalTokens,
      ...(v.usage.reasoningTokens === undefined ? {} : { reasoningTokens: v.usage.reasoningTokens }),
    },
    ...(v.toolCalls ? { toolCalls: copyToolCalls(v.toolCalls) } : {}),
    ...(v.reasoning === undefined ? {} : { reasoning: v.reasoning }),
    ...(v.reasonings ? { reasonings: [...v.reasonings] } : {}),
  };
}

/** Deep copies of tool calls (their arguments are plain JSON). */
export function copyToolCalls(calls: readonly ToolCall[]): ToolCall[] {
  return calls.map((c) => ({ ...c, arguments: structuredClone(c.arguments) }));
}
