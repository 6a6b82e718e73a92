/**
 * `@dspy-ts/testing`: language models and an OpenAI-protocol server for tests, examples and
 * benchmarks, all without a network.
 * @packageDocumentation
 */
export {
  cachedSystem,
  estimateTokens,
  type FieldTexts,
  formatRule,
  MINING_VARIANTS,
  type MinedExample,
  type MinedRule,
  type MiningParams,
  mineRules,
  type Neighbour,
  type ParsedDemo,
  type ParsedPrompt,
  type ParsedSystem,
  type PromptField,
  type PromptFieldKind,
  parseBlocks,
  parsePrompt,
  parseRules,
  parseSystem,
  type Rule,
  rankNeighbours,
  renderChat,
  renderJson,
  renderOutputs,
  valueText,
} from '@dspy-ts/core/internal';
// The offline default model lives in `@dspy-ts/core/offline`; re-exported for tests and benchmarks.
export { OfflineLM, type OfflineLMOptions } from '@dspy-ts/core/offline';
export { HASHING_DIMENSIONS, type HashingEmbeddingOptions, hashingEmbedding } from './hashing-embedding.js';
export {
  findRedisServer,
  type RedisServer,
  type RedisServerOptions,
  startRedisServer,
} from './redis-server.js';
export {
  CONTRACT_CORPUS,
  type MakeRetriever,
  type RetrieverContractCase,
  retrieverContract,
} from './retriever-contract.js';
export {
  type ScriptedAnswer,
  type ScriptedAnswers,
  ScriptedLM,
  type ScriptedLMOptions,
} from './scripted-lm.js';
export type { ScriptedToolCall, ScriptedToolCallAnswer } from './scripted-tool-calls.js';
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
