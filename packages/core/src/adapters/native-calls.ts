import type { ToolCall } from '../lm/types.js';
import type { SignatureSpec } from '../signature/spec.js';
import { emptyCompletionError, parseError } from './errors.js';
import type { SpecLayout } from './layout.js';
import { fromNativeCalls } from './tool-values.js';

/**
 * Reads a completion in native tool-call mode: the `ToolCalls` output comes from the response's
 * `toolCalls` (ids kept; none → an empty `ToolCalls`), the other outputs from the text through
 * `readText`. When the model called tools, text outputs it left out are not an error, and an
 * empty text is fine; a text with no output field at all (a model writing plain prose beside its
 * calls) is the thought field as a whole, and a required thought the model did not write is
 * `''`. Outside native mode, `readText` alone reads the completion.
 */
export function readCompletion(
  adapter: string,
  spec: SignatureSpec<object, object>,
  layout: SpecLayout,
  completion: string,
  toolCalls: readonly ToolCall[] | undefined,
  readText: (lenient: boolean) => Record<string, unknown>,
): Record<string, unknown> {
  const empty = completion.trim() === '';
  if (!layout.native) {
    if (empty) throw emptyCompletionError(adapter, spec);
    return readText(false);
  }
  const calls = fromNativeCalls(toolCalls);
  if (typeof calls === 'string') throw parseError(adapter, spec, completion, { problem: calls, found: [] });
  const lenient = calls.length > 0;
  if (empty && !lenient && layout.outputs.length > 0) throw emptyCompletionError(adapter, spec);
  const outputs = empty ? {} : readText(lenient);
  const thought = layout.thought?.field;
  if (lenient && thought && !empty && Object.keys(outputs).length === 0)
    outputs[thought.name] = completion.trim();
  if (lenient && thought && !thought.optional && outputs[thought.name] === undefined)
    outputs[thought.name] = '';
  if (layout.calls) outputs[layout.calls.field.name] = calls;
  return outputs;
}
