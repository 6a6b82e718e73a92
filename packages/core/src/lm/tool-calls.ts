import type { ToolCall } from './types.js';

/** A tool call as the chat-completions protocol sends it (arguments as JSON text). */
export interface WireToolCall {
  readonly id?: string | null;
  readonly type?: string;
  readonly function?: { readonly name?: string | null; readonly arguments?: string | null } | null;
}

/**
 * Reads a tool call's arguments text. A JSON object becomes `arguments`; anything else (not
 * JSON, or JSON that is not an object) is kept as `rawArguments` with the reason in
 * `argumentsError`, and `arguments` is `{}`. Never throws. Empty text is a call without arguments.
 *
 * @example
 * ```ts
 * toolCall('call_1', 'search', '{"q":"paris"}'); // { id, name, arguments: { q: 'paris' } }
 * toolCall('call_2', 'search', '{"q":');         // { ..., arguments: {}, rawArguments: '{"q":', argumentsError }
 * ```
 */
export function toolCall(id: string, name: string, text: string): ToolCall {
  if (text.trim() === '') return { id, name, arguments: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { id, name, arguments: {}, rawArguments: text, argumentsError: `not valid JSON: ${why}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return { id, name, arguments: {}, rawArguments: text, argumentsError: `not a JSON object but ${kind}` };
  }
  return { id, name, arguments: value as Record<string, unknown> };
}

/** The function calls of a completion's message, read with {@link toolCall}; `undefined` when there are none. */
export function fromWireToolCalls(calls: readonly WireToolCall[] | null | undefined): ToolCall[] | undefined {
  if (!Array.isArray(calls) || calls.length === 0) return undefined;
  const out = calls
    .filter((c) => c.function && (c.type === undefined || c.type === 'function'))
    .map((c, i) => toolCall(c.id ?? `call_${i}`, c.function?.name ?? '', c.function?.arguments ?? ''));
  return out.length > 0 ? out : undefined;
}
