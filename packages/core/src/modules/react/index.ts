/** ReAct and tools. */
export type { ReActOptions } from './options.js';
export {
  ReAct,
  ReActBase,
  type ReActConstructor,
  type ReActExtractInputs,
  type ReActInputs,
  type ReActNext,
  type WithTrajectory,
} from './react.js';
export { isTool, Tool, type ToolDecorator, type ToolFunctionOptions, tool, toolsOf } from './tool.js';
export { toolDefinition } from './tool-definition.js';
export type { ToolShape } from './tool-schema.js';
export { FINISH_TOOL } from './trajectory.js';
