import { emit, newCallId } from '../callbacks.js';
import { callLM } from '../lm/call.js';
import type { ChatMessage, LanguageModel, LMRequest, LMResponse } from '../lm/types.js';
import { currentSettings } from '../settings.js';
import { isReasoningType } from '../signature/code-reasoning.js';
import type { SignatureSpec } from '../signature/spec.js';
import { ensureSpecValidators } from './ensure-validators.js';
import { withJsonRepair } from './json-extract.js';
import { layoutOf, type SpecLayout } from './layout.js';
import { ensureMediaContent } from './media-parts.js';
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
 * What parsing completion `index` of `response` needs besides its text: the LM, the native tool
 * calls (the first completion's), and the model's own reasoning for that completion.
 */
export function parseOptionsOf(response: LMResponse, index: number, lm: LanguageModel): ParseOptions {
  const reasoning = response.reasonings?.[index] ?? (index === 0 ? response.reasoning : undefined);
  return {
    lm,
    ...(index === 0 && response.toolCalls ? { toolCalls: response.toolCalls } : {}),
    ...(reasoning ? { reasoning } : {}),
  };
}

const relaxedSpecs = new WeakMap<Spec, Spec>();

/** `spec` with its `Reasoning` outputs optional (built once per spec): native reasoning fills them. */
function withOptionalReasoning(spec: Spec, names: readonly string[]): Spec {
  let relaxed = relaxedSpecs.get(spec);
  if (!relaxed) {
    relaxed = names.reduce((s, name) => s.withUpdatedField(name, { optional: true }), spec);
    relaxedSpecs.set(spec, relaxed);
  }
  return relaxed;
}

function reasoningNames(spec: Spec, reasoning: string | undefined): string[] {
  return reasoning ? spec.outputs.filter(isReasoningType).map((f) => f.name) : [];
}

/** The spec to read a completion with: `spec` with its `Reasoning` outputs optional when `reasoning` fills them. */
export function readingSpec(spec: Spec, reasoning: string | undefined): Spec {
  const names = reasoningNames(spec, reasoning);
  return names.length === 0 ? spec : withOptionalReasoning(spec, names);
}

/** `read` (outputs read with {@link readingSpec}) with `reasoning` in every `Reasoning` output, in field order. */
export function fillReasoning(
  spec: Spec,
  reasoning: string | undefined,
  read: Record<string, unknown>,
): Record<string, unknown> {
  const names = reasoningNames(spec, reasoning);
  if (names.length === 0) return read;
  const outputs: Record<string, unknown> = {};
  for (const f of spec.outputs) {
    if (names.includes(f.name)) outputs[f.name] = reasoning;
    else if (Object.hasOwn(read, f.name)) outputs[f.name] = read[f.name];
  }
  for (const [k, v] of Object.entries(read)) if (!Object.hasOwn(outputs, k)) outputs[k] = v;
  return outputs;
}

/**
 * The outputs of a completion with the model's own reasoning in every `Reasoning` output
 * (`parse` reads the rest from `spec` with those outputs optional). Without native reasoning,
 * or without such outputs, `parse(spec)` as it is.
 */
export function withNativeReasoning(
  spec: Spec,
  reasoning: string | undefined,
  parse: (spec: Spec) => Record<string, unknown>,
): Record<string, unknown> {
  return fillReasoning(spec, reasoning, parse(readingSpec(spec, reasoning)));
}

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
   * `options.lm`), the `ToolCalls` output comes from `options.toolCalls`; with
   * `options.reasoning` (the model's own), every `Reasoning` output is that text.
   */
  parse(spec: Spec, completion: string, options: ParseOptions = {}): Record<string, unknown> {
    return withNativeReasoning(spec, options.reasoning, (s) =>
      this.parseWithCallbacks(s, completion, options),
    );
  }

  private parseWithCallbacks(spec: Spec, completion: string, options: ParseOptions): Record<string, unknown> {
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
    return withJsonRepair(() => this.finish(spec, messages, response, args.lm));
  }

  /** Formats and calls the LM; transport errors propagate untouched. */
  protected async ask(
    spec: Spec,
    args: AdapterCallArgs,
  ): Promise<{ messages: ChatMessage[]; response: LMResponse }> {
    const media = ensureMediaContent(args);
    if (media) await media;
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
    const outputs = texts.map((text, i) => this.parse(spec, text, parseOptionsOf(response, i, lm)));
    return { outputs, response, messages, adapter: this.name, responses: [response] };
  }
}
