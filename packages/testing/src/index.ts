/**
 * `@dspy-ts/testing`: language models and an OpenAI-protocol server for tests, examples and
 * benchmarks, all without a network.
 * @packageDocumentation
 */
export { type MinedExample, type MinedRule, type MiningParams, mineRules } from './offline/mine.js';
export { type Neighbour, rankNeighbours } from './offline/neighbours.js';
export { MINING_VARIANTS } from './offline/proposer.js';
export { formatRule, parseRules, type Rule } from './offline/rules.js';
export { OfflineLM, type OfflineLMOptions } from './offline-lm.js';
export { cachedSystem, parseBlocks, parsePrompt, parseSystem } from './prompt/parse-prompt.js';
export { estimateTokens, renderChat, renderJson, renderOutputs, valueText } from './prompt/render.js';
export type {
  FieldTexts,
  ParsedDemo,
  ParsedPrompt,
  ParsedSystem,
  PromptField,
  PromptFieldKind,
} from './prompt/types.js';
export {
  type ScriptedAnswer,
  type ScriptedAnswers,
  ScriptedLM,
  type ScriptedLMOptions,
} from './scripted-lm.js';
export { FAULT_HEADER, FaultPlanner, isFaultKind } from './server/faults.js';
export { ROLLOUT_HEADER } from './server/protocol.js';
export { startTestServer } from './server/test-server.js';
export {
  FAULT_KINDS,
  type FaultKind,
  type FaultOptions,
  type LatencyOption,
  type RecordedOutcome,
  type RecordedRequest,
  type TestServer,
  type TestServerOptions,
} from './server/types.js';
