/** Tools, the calls a model makes to them, and agent steps. */
export { type AgentStep, isAgentStep } from './agent-step.js';
export { isToolCallsField, isToolsField, TOOL_CALLS_SCHEMA, TOOLS_SCHEMA } from './field-types.js';
export { errorText, observationText } from './observation.js';
export {
  type ExecuteToolsOptions,
  readToolCalls,
  type ToolCallItem,
  ToolCalls,
  type ToolResult,
} from './tool-calls.js';
export type { Tool, ToolCallOptions } from './types.js';
