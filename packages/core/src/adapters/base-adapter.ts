import { emit, newCallId } from '../callbacks.js';
import { callLM } from '../lm/call.js';
import type { ChatMessage, LanguageModel, LMRequest, LMResponse } from '../lm/types.js';
import { currentSettings } from '../settings.js';
import type { SignatureSpec } from '../signature/spec.js';
import type { Adapter, AdapterCallArgs, AdapterCallResult, FormatArgs } from './types.js';

type Spec = SignatureSpec<object, object>;

const hasCallbacks = (): boolean => (currentSettings().callbacks?.length ?? 0) > 0;

/**
 * What `ChatAdapter` and `JSONAdapter` share: callbacks around `format` and `parse`, and a
 * `call` that formats, asks the LM and parses every completion.
 */
export abstract class BaseAdapter implements Adapter {
  abstract readonly name: string;

  /** Builds the messages (no callbacks). */
  protected abstract formatMessages(spec: Spec, args: FormatArgs): ChatMessage[];
  /** Reads one completion (no callbacks); throws `ADAPTER_PARSE` or `LM_EMPTY`. */
  protected abstract parseCompletion(spec: Spec, completion: string): Record<string, unknown>;

  /** Request parameters this adapter adds; none by default. */
  requestOptions(_spec: Spec, _lm: LanguageModel): Partial<LMRequest> {
    return {};
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

  /** Reads the output fields out of one completion. */
  parse(spec: Spec, completion: string): Record<string, unknown> {
    if (!hasCallbacks()) return this.parseCompletion(spec, completion);
    const callId = newCallId();
    emit('parseStart', { callId, adapter: this.name, signature: spec.name, completion });
    try {
      const outputs = this.parseCompletion(spec, completion);
      emit('parseEnd', { callId, adapter: this.name, outputs });
      return outputs;
    } catch (error) {
      emit('parseEnd', { callId, adapter: this.name, error });
      throw error;
    }
  }

  /** Formats, calls the LM once and parses every completion; parse errors propagate. */
  async call(spec: Spec, args: AdapterCallArgs): Promise<AdapterCallResult> {
    const { messages, response } = await this.ask(spec, args);
    return this.finish(spec, messages, response);
  }

  /** Formats and calls the LM; transport errors propagate untouched. */
  protected async ask(
    spec: Spec,
    args: AdapterCallArgs,
  ): Promise<{ messages: ChatMessage[]; response: LMResponse }> {
    const messages = this.format(spec, args);
    const request: LMRequest = { ...this.requestOptions(spec, args.lm), ...args.request, messages };
    const response = await callLM(args.lm, request);
    return { messages, response };
  }

  /** Parses every completion of `response` into the call's result. */
  protected finish(spec: Spec, messages: ChatMessage[], response: LMResponse): AdapterCallResult {
    const texts = response.choices.length > 0 ? response.choices : [response.text];
    const outputs = texts.map((text) => this.parse(spec, text));
    return { outputs, response, messages, adapter: this.name, responses: [response] };
  }
}
