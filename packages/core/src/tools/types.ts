import type { JsonSchema } from '../signature/spec.js';

/** What a tool's `call` may be given besides the arguments. */
export interface ToolCallOptions {
  /** Aborted when the caller gives up on the call (a timeout, a cancelled run). */
  readonly signal?: AbortSignal;
  /** The id of the model's call this run answers (`toolStart` / `toolEnd` callbacks carry it). */
  readonly toolCallId?: string;
}

/**
 * A function a model may call: its name, what it does, a JSON Schema of its arguments, and
 * `call(args)`, which validates and coerces the arguments before running it.
 */
export interface Tool<R = unknown> {
  /** The name the model sees. */
  readonly name: string;
  readonly description: string;
  /** An object JSON Schema over the arguments. */
  readonly parameters: JsonSchema;
  /** Argument names in call order. */
  readonly params: readonly string[];
  /**
   * Runs the tool on named arguments. Failures are `DspyError('TOOL_ERROR')`. A tool that can
   * stop early (a request, a child process) should honour `options.signal`.
   */
  call(args: Readonly<Record<string, unknown>>, options?: ToolCallOptions): Promise<R>;
}
