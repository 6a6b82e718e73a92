/** Modules: `Predict`, `Module`, the built-in modules, tracing and streaming. */
export {
  type Attempt,
  BestOfN,
  type ModuleLike,
  type RewardFn,
  type RolloutOptions,
} from './best-of-n.js';
export {
  ChainOfThought,
  ChainOfThoughtBase,
  type ChainOfThoughtConstructor,
  type ChainOfThoughtOptions,
  REASONING_FIELD,
  type WithReasoning,
} from './chain-of-thought.js';
export type { CallConfig, LMParams, PredictOptions } from './config.js';
export { type MajorityOptions, majority } from './majority.js';
export { methodPredictor, methodPredictorsOf } from './method-runner.js';
export { ModuleBase, type ModuleLoadOptions, type ModuleSaveOptions } from './module.js';
export {
  Module,
  type ModuleConstructor,
  type ModuleDecorator,
  type ModuleOptions,
} from './module-decorator.js';
export {
  type MultiChainCallConfig,
  MultiChainComparison,
  MultiChainComparisonBase,
  type MultiChainComparisonConstructor,
  type MultiChainComparisonOptions,
  type WithRationale,
} from './multi-chain-comparison.js';
export { Parallel, type ParallelJob, type ParallelOptions, type ParallelResult } from './parallel.js';
export {
  ProgramOfThought,
  ProgramOfThoughtBase,
  type ProgramOfThoughtConstructor,
  type ProgramOfThoughtOptions,
  runSandboxed,
  type SandboxFailureKind,
  type SandboxOptions,
  type SandboxResult,
  type WithCode,
} from './pot/index.js';
export { Predict, PredictBase, type PredictConstructor } from './predict.js';
export {
  FINISH_TOOL,
  isTool,
  ReAct,
  ReActBase,
  type ReActConstructor,
  type ReActExtractInputs,
  type ReActInputs,
  type ReActNext,
  type ReActOptions,
  Tool,
  type ToolDecorator,
  type ToolFunctionOptions,
  type ToolShape,
  tool,
  toolDefinition,
  toolsOf,
  type WithTrajectory,
} from './react/index.js';
export { REFINE_ADVICE_SPEC, Refine } from './refine.js';
export type {
  FieldDelta as StreamFieldDelta,
  ProgramStreamEvent,
  StreamEvent,
  StreamifyOptions,
  StreamListener,
  ToolStreamEvent,
} from './stream-events.js';
export { streamify } from './streamify.js';
export { appendTrace, currentTrace, runWithTrace, type TracedRun } from './trace.js';
export { isModule } from './walk.js';
