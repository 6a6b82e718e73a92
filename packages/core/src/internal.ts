/**
 * `@dspy-ts/core/internal`: the parts of the run time that the other dspy-ts packages (the build
 * step, the optimizers, the CLI, the testing LMs) and the tests build on. Not a public API: names
 * here may change in any release. Applications import `@dspy-ts/core`.
 * @packageDocumentation
 */

export { type StandaloneValidators, standaloneValidators } from './adapters/ajv-standalone.js';
export {
  type CoerceResult,
  callList,
  canValidateNow,
  coerceText,
  coerceValue,
  compileSchema,
  ensureValidators,
  extractJson,
  type FieldKind,
  type FieldKindName,
  fieldKind,
  INCOMPLETE_DEMO_NOTICE,
  type JsonExtraction,
  NATIVE_ONLY_REQUIREMENTS,
  NATIVE_TOOLS_LINE,
  NOT_SUPPLIED,
  needsJsonRepair,
  type OutputSchema,
  outputSchemaOf,
  parseBoolean,
  parseNumber,
  readSections,
  renderValue,
  type SchemaValidator,
  STRUCTURE_INTRO,
  TOOL_CALLS_NOTE,
  TOOL_RESULTS,
  type ValidationResult,
  validateValue,
  withJsonRepair,
} from './adapters/index.js';
export {
  coreVersionString,
  type DspyPredictorState,
  type DspyState,
  dspyPathToTs,
  findSecrets,
  isSecretKey,
  isSecretValue,
  parseArtifact,
  parseDspyState,
  stripSecrets,
  writeFileAtomic,
} from './artifact/index.js';
// Media kept whole through JSON (optimizer checkpoints store them as artifacts do).
export {
  type JsonPath,
  type LiftedJson,
  type LiftedMedia,
  type LiftedMediaReader,
  liftMedia,
  type RestoreLiftedOptions,
  restoreLiftedMedia,
} from './artifact/media-json.js';
export { DEFAULT_MEDIA_INLINE_LIMIT, MEDIA_FILE_NAME } from './artifact/media-sites.js';
export { reviveMediaDeep, storeMediaDeep } from './artifact/media-transport.js';
export { emit, newCallId } from './callbacks.js';
export { ExampleBase } from './data/example.js';
export { PredictionBase } from './data/prediction.js';
export { formatProgress, isMetricRange, metricName } from './evaluate/index.js';
export { budgetExhausted, formatDollars } from './lm/budget-exhausted.js';
export { isCachedResponse } from './lm/cache/check.js';
export {
  type ActiveBudget,
  addAmounts,
  backoffDelay,
  CUSTOM_PROVIDER,
  cacheKey,
  capPassed,
  clearHistory,
  copyCached,
  costOf,
  currentBudget,
  currentUsage,
  DEFAULT_BACKOFF,
  DEFAULT_OUTPUT_ESTIMATE,
  defaultCacheDir,
  estimateCall,
  estimatePromptTokens,
  fromWireToolCalls,
  getDefaultCache,
  isReasoningModel,
  mergeRequest,
  parseRetryAfter,
  priceOf,
  resetCacheConfig,
  toolCall,
  toWireToolCalls,
  type WireToolCall,
  ZERO_AMOUNT,
} from './lm/index.js';
export { type PredictorSource, preflightProgram } from './lm/preflight.js';
export { ToolCallAssembler, type WireToolCallDelta } from './lm/tool-call-assembler.js';
export { addUsage, ZERO_USAGE } from './lm/types.js';
// The media field types' schemas (the build step marks Image, Audio and File fields with them).
export {
  AUDIO_SCHEMA,
  FILE_SCHEMA,
  IMAGE_SCHEMA,
  MEDIA_SCHEMAS,
  type MediaTypeName,
  mediaInSchema,
} from './media/field-types.js';
export {
  appendTrace,
  ChainOfThoughtBase,
  currentTrace,
  FINISH_TOOL,
  isModule,
  isTool,
  ModuleBase,
  MultiChainComparisonBase,
  methodPredictorsOf,
  PredictBase,
  ProgramOfThoughtBase,
  REASONING_FIELD,
  REFINE_ADVICE_SPEC,
  ReActBase,
} from './modules/index.js';
// How a tool's arguments are checked, for tools built outside core (the MCP package's).
export { checkToolArgObject } from './modules/react/tool-args.js';
export { isPredictor } from './modules/types.js';
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
export { type TopK, topK } from './retrieve/top-k.js';
export { currentSettings, resetSettings, stderrLogger } from './settings.js';
// The Code and Reasoning field types' schemas and readers (the build step, the string parser and the adapters).
export {
  codeLanguageOf,
  codeSchema,
  fenceCode,
  isCodeType,
  isReasoningType,
  LANGUAGE_NAME,
  parseCode,
  REASONING_SCHEMA,
} from './signature/code-reasoning.js';
// The History field type's schema and readers (the build step and the offline learner use them).
export { HISTORY_SCHEMA, historyTurns, isHistoryField } from './signature/history.js';
export {
  clearManifests,
  type FieldMeta,
  getMethodRunner,
  isSignatureSpec,
  type MetadataRecord,
  type MethodMeta,
  type MethodRunner,
  manifestSignature,
  manifestTool,
  recordToolMethod,
  registeredManifest,
  registerMetadata,
  type SignatureMethod,
  setMethodRunner,
  signatureMethodsOf,
  signatureOptionsOf,
  type ToolMeta,
  toolMethodsOf,
} from './signature/index.js';
export { canonicalJson, hashSignature } from './signature/spec.js';
export { setTelemetryBypass, tracedCompile, tracedTrial } from './telemetry/index.js';
// The Tool[] / ToolCalls field types' schemas and readers, and agent steps.
export {
  errorText,
  isAgentStep,
  isToolCallsField,
  isToolsField,
  observationText,
  readToolCalls,
  TOOL_CALLS_SCHEMA,
  TOOLS_SCHEMA,
} from './tools/index.js';
export { checkKnownKeys, suggestKey } from './utils/known-keys.js';
export { checkNumberOption, type NumberRule } from './utils/number-option.js';
export { redactDeep, redactText } from './utils/redact.js';
