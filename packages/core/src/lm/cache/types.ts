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
