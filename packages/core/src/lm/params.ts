import { toWireToolChoice, toWireTools } from './tool-wire.js';
import type { ResponseFormat, ToolChoice, ToolDefinition } from './types.js';

/** The request parameters an LM sends, after its defaults are applied (no messages). */
export interface EffectiveParams {
  readonly temperature?: number;
  readonly maxTokens?: number;
  readonly n?: number;
  readonly stop?: readonly string[];
  readonly responseFormat?: ResponseFormat;
  readonly tools?: readonly ToolDefinition[];
  readonly toolChoice?: ToolChoice;
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** What shapes the wire body besides the parameters. */
export interface BodyRules {
  readonly apiModel: string;
  readonly reasoning: boolean;
  readonly supportsStructuredOutputs: boolean;
}

/** Turns a `ResponseFormat` into the wire `response_format` (JSON mode when schemas are unsupported). */
export function toWireResponseFormat(
  format: ResponseFormat | undefined,
  structured: boolean,
): Record<string, unknown> | undefined {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object' || !structured) return { type: 'json_object' };
  const name = format.name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'response';
  return { type: 'json_schema', json_schema: { name, schema: format.schema, strict: format.strict } };
}

/**
 * Builds the chat-completions body (without `messages`). Reasoning models get
 * `max_completion_tokens` and no temperature other than 1; `tools` go as function tools, with
 * `tool_choice` when tools are sent.
 */
export function toWireParams(params: EffectiveParams, rules: BodyRules): Record<string, unknown> {
  const body: Record<string, unknown> = { model: rules.apiModel };
  if (params.temperature !== undefined && (!rules.reasoning || params.temperature === 1)) {
    body.temperature = params.temperature;
  }
  if (params.maxTokens !== undefined) {
    body[rules.reasoning ? 'max_completion_tokens' : 'max_tokens'] = params.maxTokens;
  }
  if (params.n !== undefined && params.n !== 1) body.n = params.n;
  if (params.stop && params.stop.length > 0) body.stop = [...params.stop];
  const rf = toWireResponseFormat(params.responseFormat, rules.supportsStructuredOutputs);
  if (rf) body.response_format = rf;
  if (params.tools && params.tools.length > 0) {
    body.tools = toWireTools(params.tools);
    if (params.toolChoice !== undefined) body.tool_choice = toWireToolChoice(params.toolChoice);
  }
  if (params.extra) Object.assign(body, params.extra);
  return body;
}
