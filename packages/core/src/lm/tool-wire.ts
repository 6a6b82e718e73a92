import { DspyError } from '../errors.js';
import type { ChatMessage, ContentPart, LMRequest, ToolCall, ToolChoice, ToolDefinition } from './types.js';

/** The arguments text of a call as sent back to the model: the model's own text when it was not JSON. */
function argumentsText(call: ToolCall): string {
  return call.rawArguments ?? JSON.stringify(call.arguments);
}

/** Tool calls in the chat-completions shape: function calls with their arguments as JSON text. */
export function toWireToolCalls(
  calls: readonly ToolCall[],
): { id: string; type: 'function'; function: { name: string; arguments: string } }[] {
  return calls.map((c) => ({
    id: c.id,
    type: 'function',
    function: { name: c.name, arguments: argumentsText(c) },
  }));
}

/** One message in the chat-completions shape (`tool_call_id`, `tool_calls` with JSON-text arguments). */
export function toWireMessage(m: ChatMessage): Record<string, unknown> {
  if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
  if (m.role === 'assistant' && m.toolCalls && m.toolCalls.length > 0) {
    return {
      role: 'assistant',
      content: m.content === '' ? null : m.content,
      tool_calls: toWireToolCalls(m.toolCalls),
    };
  }
  if (m.role === 'user' && m.parts && m.parts.length > 0)
    return { role: 'user', content: m.parts.map(toWirePart) };
  return { role: m.role, content: m.content };
}

/** One content part in the chat-completions shape (`image_url`, `input_audio`, `file`); hashes stay here. */
export function toWirePart(p: ContentPart): Record<string, unknown> {
  switch (p.type) {
    case 'text':
      return { type: 'text', text: p.text };
    case 'image_url':
      return { type: 'image_url', image_url: p.detail ? { url: p.url, detail: p.detail } : { url: p.url } };
    case 'input_audio':
      return { type: 'input_audio', input_audio: { data: p.data, format: p.format } };
    case 'file':
      return { type: 'file', file: { filename: p.file.filename, file_data: p.file.file_data } };
  }
}

/** The `tools` body field: function tools. */
export function toWireTools(tools: readonly ToolDefinition[]): Record<string, unknown>[] {
  return tools.map((t) => ({
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.parameters },
  }));
}

/** The `tool_choice` body field. */
export function toWireToolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

/**
 * Checks `tools` and `toolChoice` before a request is sent: distinct tool names, a named
 * choice that is among the tools, `required` only with tools. Throws `LM_CONFIG`.
 */
export function checkTools(
  where: string,
  tools: readonly ToolDefinition[] | undefined,
  choice: ToolChoice | undefined,
): void {
  const names = (tools ?? []).map((t) => t.name);
  const fail = (message: string, fix: string): never => {
    throw new DspyError('LM_CONFIG', `${where}: ${message}`, { details: { where, fix } });
  };
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) fail(`two tools are named '${twice}'`, 'Give every tool a distinct name.');
  if (choice === undefined || choice === 'auto' || choice === 'none') return;
  if (names.length === 0) {
    fail(
      `toolChoice ${JSON.stringify(choice)} needs tools, and the request has none`,
      'Pass the tools with { tools: tools.map(toolDefinition) }, or leave out toolChoice.',
    );
  }
  if (typeof choice === 'object' && !names.includes(choice.name)) {
    fail(
      `toolChoice names '${choice.name}', which is not among the tools (${names.join(', ')})`,
      'Name one of the tools in toolChoice, or add that tool to tools.',
    );
  }
}

/** Who is asked to take tools: the LM's name, its provider, and whether it has function calling. */
export interface ToolTarget {
  readonly model: string;
  readonly provider: string;
  readonly supported: boolean;
}

/**
 * A request's tools as plain definitions (a `Tool`'s lazy getters read once), checked with
 * {@link checkTools}; `undefined` when it has none. Tools for a target without function calling
 * are `LM_CONFIG`, naming the fallback: the tools described in the prompt as text.
 */
export function requestTools(request: LMRequest, target: ToolTarget): ToolDefinition[] | undefined {
  const where = `LM ${target.model}`;
  if (!request.tools || request.tools.length === 0) {
    checkTools(where, undefined, request.toolChoice);
    return undefined;
  }
  if (!target.supported) {
    throw new DspyError(
      'LM_CONFIG',
      `${where}: provider ${target.provider} does not take tools (function calling)`,
      {
        details: {
          where,
          fix: 'Send the request without tools and describe them in the prompt as text (as ReAct does), use a model with function calling, or pass { supportsToolCalls: true } to new LM() if this endpoint has it.',
          provider: target.provider,
        },
      },
    );
  }
  const tools = request.tools.map((t) => ({
    name: t.name,
    description: t.description,
    parameters: t.parameters,
  }));
  checkTools(where, tools, request.toolChoice);
  return tools;
}
