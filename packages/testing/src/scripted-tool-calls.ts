import type { ToolCall } from '@dspy-ts/core';
import { readToolCalls, toolCall } from '@dspy-ts/core/internal';

/** One tool call a {@link ScriptedLM} answers with; `id` defaults to `call_<call number>_<position>`. */
export interface ScriptedToolCall {
  readonly name: string;
  /** The arguments: an object, or a text sent as it is (to test arguments that are not JSON). */
  readonly arguments?: Readonly<Record<string, unknown>> | string;
  readonly id?: string;
}

/** A scripted answer that calls tools, with an optional completion text beside the calls. */
export interface ScriptedToolCallAnswer {
  readonly toolCalls: readonly ScriptedToolCall[];
  readonly text?: string;
}

/**
 * True when `answer` is a tool-call answer: an object with a `toolCalls` array of `{ name }`
 * objects and no other key than `text`. When the prompt has an output field named `toolCalls`,
 * such an object is that field's value instead, unless the request carries tools.
 */
export function isToolCallAnswer(
  answer: unknown,
  outputNames: readonly string[],
  requestHasTools: boolean,
): answer is ScriptedToolCallAnswer {
  if (typeof answer !== 'object' || answer === null) return false;
  const a = answer as Record<string, unknown>;
  if (!Array.isArray(a.toolCalls)) return false;
  if (Object.keys(a).some((k) => k !== 'toolCalls' && k !== 'text')) return false;
  if (a.text !== undefined && typeof a.text !== 'string') return false;
  const calls = a.toolCalls.every(
    (c: unknown) => typeof c === 'object' && c !== null && typeof (c as { name?: unknown }).name === 'string',
  );
  return calls && (requestHasTools || !outputNames.includes('toolCalls'));
}

/** The calls of a tool-call answer, ids filled in deterministically from the 1-based call number. */
export function scriptedToolCalls(answer: ScriptedToolCallAnswer, callNumber: number): ToolCall[] {
  return answer.toolCalls.map((c, i) => {
    const id = c.id ?? `call_${callNumber}_${i + 1}`;
    const args = c.arguments;
    if (typeof args === 'string') return toolCall(id, c.name, args);
    return { id, name: c.name, arguments: args ? structuredClone(args) : {} };
  });
}

/**
 * In a native tool-calling request the prompt does not list the `ToolCalls` output, so an output
 * object's value for it would be dropped: this finds that value (a key the prompt does not list,
 * holding `{ calls }` or a list of `{ name, args }`) and turns it into the answer's native calls,
 * beside the rest of the object. `undefined` when there is no such key.
 */
export function nativeCallsOf(
  answer: Readonly<Record<string, unknown>>,
  outputNames: readonly string[],
): { rest: Record<string, unknown>; answer: ScriptedToolCallAnswer } | undefined {
  for (const [key, value] of Object.entries(answer)) {
    if (outputNames.includes(key) || typeof value !== 'object' || value === null) continue;
    const read = readToolCalls(value);
    if (!read.ok || read.value.length === 0) continue;
    const { [key]: _calls, ...rest } = answer;
    const toolCalls = read.value.calls.map((c) => ({
      name: c.name,
      arguments: c.args,
      ...(c.id ? { id: c.id } : {}),
    }));
    return { rest, answer: { toolCalls } };
  }
  return undefined;
}
