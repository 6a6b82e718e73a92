/**
 * `@dspy-ts/core/internal`: the parts of the run time that the other dspy-ts packages (the build
 * step, the optimizers, the CLI, the testing LMs) and the tests build on. Not a public API: names
 * here may change in any release. Applications import `@dspy-ts/core`.
 * @packageDocumentation
 */
// The offline default model's prompt reader and answer helpers (the testing LMs share them).
export { type MinedExample, type MinedRule, type MiningParams, mineRules } from './offline/mine.js';
export { type Neighbour, rankNeighbours } from './offline/neighbours.js';
export {
  cachedSystem,
  parseBlocks,
  parsePrompt,
  parseSystem,
  promptShape,
} from './offline/prompt/parse-prompt.js';
export {
  estimateTokens,
  renderChat,
  renderJson,
  renderOutputs,
  valueText,
} from './offline/prompt/render.js';
export type {
  FieldTexts,
  ParsedDemo,
  ParsedPrompt,
  ParsedSystem,
  PromptField,
  PromptFieldKind,
} from './offline/prompt/types.js';
export { MINING_VARIANTS } from './offline/proposer.js';
export { formatRule, parseRules, type Rule } from './offline/rules.js';
export { chunked, makeResponse, textToValue, wanted } from './offline/shared-lm.js';
