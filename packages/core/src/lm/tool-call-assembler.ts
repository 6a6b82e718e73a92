import { toolCall, type WireToolCall } from './tool-calls.js';
import type { ToolCall } from './types.js';

// Streamed tool calls put back together (loaded with the first stream).

/** A streamed tool-call delta (`choices[i].delta.tool_calls[j]`). */
export interface WireToolCallDelta extends WireToolCall {
  readonly index: number;
}

/**
 * Assembles streamed tool-call deltas into whole calls: the id, name and the first argument
 * chunk come with a call's first delta, later chunks by `index` only, and the chunks of several
 * calls may interleave.
 */
export class ToolCallAssembler {
  readonly #parts = new Map<number, { id: string; name: string; args: string }>();

  /** Adds the deltas of one chunk. */
  add(deltas: readonly WireToolCallDelta[] | null | undefined): void {
    if (!Array.isArray(deltas)) return;
    for (const d of deltas) {
      const index = typeof d.index === 'number' ? d.index : this.#parts.size;
      let part = this.#parts.get(index);
      if (!part) {
        part = { id: '', name: '', args: '' };
        this.#parts.set(index, part);
      }
      if (d.id) part.id = d.id;
      if (d.function?.name && !part.name) part.name = d.function.name;
      if (d.function?.arguments) part.args += d.function.arguments;
    }
  }

  /** The calls so far, in index order; `undefined` when none came. */
  calls(): ToolCall[] | undefined {
    if (this.#parts.size === 0) return undefined;
    return [...this.#parts]
      .sort((a, b) => a[0] - b[0])
      .map(([index, p]) => toolCall(p.id || `call_${index}`, p.name, p.args));
  }
}
