import type { ToolDefinition } from '../../lm/types.js';
import type { Tool } from './tool.js';

/**
 * The definition of a {@link Tool} as sent to a model (`LMRequest.tools`): its name,
 * description and argument schema, as a plain object. Resolves the tool's schema at once, so a
 * tool without one fails here (`SCHEMA_MISSING`) rather than inside a call.
 *
 * @example
 * ```ts
 * const res = await lm.call({ messages, tools: [weatherTool].map(toolDefinition), toolChoice: 'auto' });
 * for (const call of res.toolCalls ?? []) console.log(call.name, call.arguments);
 * ```
 */
export function toolDefinition(tool: Pick<Tool, 'name' | 'description' | 'parameters'>): ToolDefinition {
  return { name: tool.name, description: tool.description, parameters: tool.parameters };
}
