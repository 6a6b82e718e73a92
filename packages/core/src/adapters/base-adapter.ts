import { emit, newCallId } from '../callbacks.js';
import { callLM } from '../lm/call.js';
import type { ChatMessage, LanguageModel, LMRequest, LMResponse } from '../lm/types.js';
import { currentSettings } from '../settings.js';
import type { SignatureSpec } from '../signature/spec.js';
import { ensureSpecValidators } from './ensure-validators.js';
import { layoutOf, type SpecLayout } from './layout.js';
import { type NativeToolCalls, resolveNative, toolDefinitionsOf } from './tool-values.js';
import type { Adapter, AdapterCallArgs, AdapterCallResult, FormatArgs, ParseOptions } from './types.js';

type Spec = SignatureSpec<object, object>;

/** Options both adapters take. */
export interface AdapterOptions {
  /**
   * How `Tool[]` inputs and `ToolCalls` outputs travel: `true` through the provider's function
   * calling (`request.tools` in, `response.toolCalls` out), `false` as text fields of the prompt,
   * `'auto'` (default) natively when the LM has `supportsToolCalls: true`, else as text.
   */
  readonly nativeToolCalls?: NativeToolCalls;
}

const hasCallbacks = (): boolean => (currentSettings().callbacks?.length ?? 0) > 0;

/**
 * What `ChatAdapter` and `JSONAdapter` share: callbacks around `format` and `parse`, and a
 * `call` that formats, asks the LM and parses every completion.
 */
export abstract class BaseAdapter implements Adapter {
  abstract readonly name: string;
  /** How tools and tool calls travel (see {@link AdapterOptions.nativeToolCalls}). */
  readonly nativeToolCalls: NativeToolCalls;

  constructor(options: AdapterOptions = {}) {
    this.nativeToolCalls = options.nativeToolCalls ?? 'auto';
  }

  /** Builds the messages (no callbacks). */
  protected abstract formatMessages(spec: Spec, args: FormatArgs): ChatMessage[];
  /** Reads one completion (no callbacks); throws `ADAPTER_PARSE` or `LM_EMPTY`. */
  protected abstract parseCompletion(
    spec: Spec,
    completion: string,
    options: ParseOptions,
  ): Record<string, unknown>;

  /** The layout of `spec` in the tool-call mode this adapter uses with `lm`. */
  protected layoutFor(spec: Spec, lm: LanguageModel | undefined): SpecLayout {
    return layoutOf(spec, resolveNative(this.nativeToolCalls, lm));
  }

  /**
   * Request parameters this adapter adds: with native tool calls, the definitions of the tools
   * given in `Tool[]` inputs (deduplicated by name) and `toolChoice: 'auto'`.
   */
  requestOptions(spec: Spec, lm: LanguageModel, args?: FormatArgs): Partial<LMRequest> {
    const layout = this.layoutFor(spec, lm);
    if (!layout.native || !args) return {};
    const tools = toolDefinitionsOf(layout.toolsInputs, args.inputs);
    return tools.length > 0 ? { tools, toolChoice: 'auto' } : {};
  }

  /** Renders the chat messages for `inputs`, after `demos` and `history`. */
  format(spec: Spec, args: FormatArgs): ChatMessage[] {
    if (!hasCallbacks()) return this.formatMessages(spec, args);
    const callId = newCallId();
    emit('formatStart', { callId, adapter: this.name, signature: spec.name });
    try {
      const messages = this.formatMessages(spec, args);
      emit('formatEnd', { callId, adapter: this.name, messages });
      return messages;
    } catch (error) {
      emit('formatEnd', { callId, adapter: this.name, error });
      throw error;
    }
  }

  /**
   * Reads the output fields out of one completion. In native tool-call mode (see
   * `options.lm`), the `ToolCalls` output comes from `options.toolCalls`.
   */
  parse(spec: Spec, completion: string, options: ParseOptions = {}): Record<string, unknown> {
    if (!hasCallbacks()) return this.parseCompletion(spec, completion, options);
    const callId = newCallId();
    emit('parseStart', { callId, adapter: this.name, signature: spec.name, completion });
    try {
      const outputs = this.parseCompletion(spec, completion, options);
      emit('parseEnd', { callId, adapter: this.name, outputs });
      return outputs;
    } catch (error) {
      emit('parseEnd', { callId, adapter: this.name, error });
      throw error;
    }
  }

  /** Formats, calls the LM once and parses every completion; parse errors propagate. */
  async call(spec: Spec, args: AdapterCallArgs): Promise<AdapterCallResult> {
    const validators = ensureSpecValidators(spec);
    if (validators) await validators;
    const { messages, response } = await this.ask(spec, args);
    return this.finish(spec, messages, response, args.lm);
  }

  /** Formats and calls the LM; transport errors propagate untouched. */
  protected async ask(
    spec: Spec,
    args: AdapterCallArgs,
  ): Promise<{ messages: ChatMessage[]; response: LMResponse }> {
    const messages = this.format(spec, args);
    const request: LMRequest = { ...this.requestOptions(spec, args.lm, args), ...args.request, messages };
    const response = await callLM(args.lm, request);
    return { messages, response };
  }

  /**
   * Parses every completion of `response` into the call's result (the response's native tool
   * calls belong to its first completion).
   */
  protected finish(
    spec: Spec,
    messages: ChatMessage[],
    response: LMResponse,
    lm: LanguageModel,
  ): AdapterCallResult {
    const texts = response.choices.length > 0 ? response.choices : [response.text];
    const outputs = texts.map((text, i) =>
      this.parse(spec, text, i === 0 ? { lm, toolCalls: response.toolCalls } : { lm }),
    );
    return { outputs, response, messages, adapter: this.name, responses: [response] };
  }
}
