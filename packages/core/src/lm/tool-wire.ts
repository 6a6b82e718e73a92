import type { ChatMessage, ContentPart, ToolCall, ToolChoice, ToolDefinition } from './types.js';

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
