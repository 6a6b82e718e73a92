/** ReAct and tools. */
export {
  ReAct,
  ReActBase,
  type ReActConstructor,
  type ReActInputs,
  type ReActNext,
  type ReActOptions,
  type WithTrajectory,
} from './react.js';
export { isTool, Tool, type ToolDecorator, type ToolFunctionOptions, tool, toolsOf } from './tool.js';
export { toolDefinition } from './tool-definition.js';
export type { ToolShape } from './tool-schema.js';
export { FINISH_TOOL, type ReActStep } from './trajectory.js';
