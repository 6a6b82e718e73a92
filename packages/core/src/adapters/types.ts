import type { ChatMessage, LanguageModel, LMRequest, LMResponse, ToolCall } from '../lm/types.js';
import type { SignatureSpec } from '../signature/spec.js';
import type { FieldDelta } from './stream-parser.js';

/** A demo: values of some or all of a signature's fields. */
export type Demo = Readonly<Record<string, unknown>>;

/** One earlier turn of a conversation: its inputs and outputs. */
export interface HistoryTurn {
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** What an adapter formats. */
export interface FormatArgs {
  readonly demos?: readonly Demo[];
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly history?: readonly HistoryTurn[];
  /** The LM the messages are for: with `nativeToolCalls: 'auto'`, it decides native or text tool calls. */
  readonly lm?: LanguageModel;
}

/** What an adapter's `parse` may be given besides the completion text. */
export interface ParseOptions {
  /** The LM that wrote the completion: with `nativeToolCalls: 'auto'`, it decides native or text tool calls. */
  readonly lm?: LanguageModel;
  /** The response's native tool calls (`LMResponse.toolCalls`): in native mode, the `ToolCalls` output. */
  readonly toolCalls?: readonly ToolCall[];
  /**
   * The model's own reasoning for this completion (`LMResponse.reasonings`): when given, every
   * `Reasoning` output takes it, and a completion that leaves such a field out still parses.
   */
  readonly reasoning?: string;
}

/** What an adapter's `call` needs besides the messages. */
export interface AdapterCallArgs extends FormatArgs {
  readonly lm: LanguageModel;
  /** Request parameters (temperature, n, rolloutId, ...); messages come from `format`. */
  readonly request?: Omit<LMRequest, 'messages'>;
}

/** The parsed outputs of every completion plus the raw LM response. */
export interface AdapterCallResult {
  readonly outputs: readonly Record<string, unknown>[];
  readonly response: LMResponse;
  readonly messages: readonly ChatMessage[];
  /** The adapter whose parse produced `outputs` (`JSONAdapter` after a fallback). */
  readonly adapter?: string;
  /** Every LM response of the call, failed attempts first (for usage and cost totals). */
  readonly responses?: readonly LMResponse[];
}

/**
 * Turns a signature, demos and inputs into chat messages, and a completion back into typed
 * outputs. `ChatAdapter` (default) and `JSONAdapter` implement it.
 */
export interface Adapter {
  readonly name: string;
  format(spec: SignatureSpec<object, object>, args: FormatArgs): ChatMessage[];
  /** Parses one completion; throws `DspyError` with code `ADAPTER_PARSE`. */
  parse(
    spec: SignatureSpec<object, object>,
    completion: string,
    options?: ParseOptions,
  ): Record<string, unknown>;
  /**
   * Request parameters this adapter adds (e.g. `responseFormat`; with native tool calls, the
   * `tools` of the `Tool[]` inputs in `args`).
   */
  requestOptions?(
    spec: SignatureSpec<object, object>,
    lm: LanguageModel,
    args?: FormatArgs,
  ): Partial<LMRequest>;
  /** Formats, calls the LM, parses every completion (with fallbacks). */
  call(spec: SignatureSpec<object, object>, args: AdapterCallArgs): Promise<AdapterCallResult>;
  /**
   * `true` when the outputs exist only once `call` is done (`TwoStepAdapter`, whose second call
   * reads them): streaming then runs `call` unstreamed and sends one delta per output field.
   */
  readonly outputsAfterCall?: boolean;
  /**
   * Loads what `format` and `parse` need when the web entry left it out of the start-up code
   * (`JSONAdapter`'s format); `undefined` when there is nothing to wait for. Streaming awaits it
   * before formatting; `call` loads it by itself.
   */
  load?(): Promise<void> | undefined;
  /**
   * A parser that reads output fields out of the completion's chunks as they stream in
   * (`ChatAdapter`'s); without one, streaming sends one delta per field once the completion parsed.
   */
  streamParser?(spec: SignatureSpec<object, object>): StreamParser | undefined;
}

/** What an adapter's `streamParser` returns: text deltas per output field, chunk by chunk. */
export interface StreamParser {
  /** The deltas a new chunk of the completion adds. */
  push(chunk: string): readonly FieldDelta[];
  /** The deltas held back until the completion ended. */
  end(): readonly FieldDelta[];
}
