/**
 * `@dspy-ts/core`: the run time of dspy-ts. This entry lists what the guides use: signatures,
 * data, modules, the LM and its settings, adapters, evaluation, artifacts and errors, with their
 * option and result types. Helpers shared with the other dspy-ts packages are in
 * `@dspy-ts/core/internal`; the offline default model is `@dspy-ts/core/offline`.
 * @packageDocumentation
 */
import 'reflect-metadata/lite';

// Adapters (from their own modules, so that a bundler reaches only what an app uses).
export { type AdapterOptions, BaseAdapter } from './adapters/base-adapter.js';
export { ChatAdapter, type ChatAdapterOptions } from './adapters/chat-adapter.js';
export { JSONAdapter } from './adapters/json-adapter.js';
export { ChatStreamParser, createChatStreamParser, type FieldDelta } from './adapters/stream-parser.js';
export { loadAdapterSupport } from './adapters/support.js';
export type { NativeToolCalls } from './adapters/tool-values.js';
export { TwoStepAdapter, type TwoStepAdapterOptions } from './adapters/two-step-adapter.js';
export type {
  Adapter,
  AdapterCallArgs,
  AdapterCallResult,
  Demo,
  FormatArgs,
  HistoryTurn,
  ParseOptions,
  StreamParser,
} from './adapters/types.js';
export { loadSchemaCompiler, type PrecompiledValidator, type ValidatorError } from './adapters/validate.js';
export { XMLAdapter } from './adapters/xml-adapter.js';
// Artifacts (from their own modules: the artifact folder's index also lists the file writer,
// which only saving needs and which would otherwise sit in every app's start-up bundle).
export { type ApplyArtifactOptions, type ApplyArtifactReport, applyArtifact } from './artifact/apply.js';
export { validateArtifact } from './artifact/artifact.js';
export { type ImportDspyOptions, type ImportDspyReport, importDspyState } from './artifact/dspy-import.js';
export {
  type LoadArtifactOptions,
  loadArtifact,
  parseArtifact,
  type SaveArtifactOptions,
  type SaveProgramOptions,
  saveArtifact,
  saveProgram,
} from './artifact/io.js';
export type { ArtifactMediaResolver, StoredMedia } from './artifact/media-sites.js';
export { loadArtifactMedia } from './artifact/media-support.js';
export type { ArtifactProgram } from './artifact/program.js';
export { ARTIFACT_SCHEMA } from './artifact/schema.js';
export { datasetFingerprint, type ToArtifactOptions, toArtifact } from './artifact/to-artifact.js';
export type { Artifact, ArtifactProvenance, DatasetFingerprint } from './artifact/types.js';
// Callbacks.
export type { Callback, CallbackEventBase, CallbackEventName, CallbackEvents } from './callbacks.js';
// Data.
export { Example, type ExampleConstructor } from './data/example.js';
export { Prediction, type PredictionConstructor, type PredictionInit } from './data/prediction.js';
// Errors.
export {
  type ExampleProblem,
  type ValidateExamplesOptions,
  validateExamples,
} from './data/validate-examples.js';
// Embeddings.
export {
  Embedder,
  type EmbedderCommonOptions,
  type EmbedderOptions,
  type EmbedderStats,
  type EmbedFunction,
  type FunctionEmbedderOptions,
} from './embed/index.js';
export {
  DspyError,
  type DspyErrorCode,
  type DspyErrorDetails,
  type DspyErrorOptions,
  isDspyError,
} from './errors.js';
// Evaluation.
export {
  type EvaluateOptions,
  type EvaluationReport,
  type EvaluationResult,
  type EvaluationRunner,
  type ExampleLike,
  evaluate,
  exactMatch,
  exactMatchOn,
  f1,
  f1On,
  formatResultsTable,
  localRunner,
  type Metric,
  type MetricRange,
  type MetricResult,
  type NormalizedMetricResult,
  normalizeMetricResult,
  normalizeText,
  type PredictionLike,
  type ProgramLike,
  type ProgressStream,
  type RunnerOutcome,
  type RunnerRun,
  type RunnerSession,
  reportToJson,
  resultsToCsv,
  type ScoreRules,
  saveResults,
  type TableOptions,
  tokenF1,
} from './evaluate/index.js';
// The LM, its cache, history, usage and providers.
export {
  type BackoffPolicy,
  type BudgetAmount,
  type BudgetCaps,
  type BudgetLedger,
  type BudgetReservation,
  type Cache,
  type CacheConfig,
  type CachedResponse,
  callLM,
  configureCache,
  createHttpFetch,
  DiskCache,
  getHistory,
  type HistoryEntry,
  type HttpFetchOptions,
  type InspectOptions,
  inspectHistory,
  LM,
  type LMOptions,
  type LMStats,
  listProviders,
  MemoryBudgetLedger,
  MemoryCache,
  type ModelPrice,
  type ProviderInfo,
  RedisCache,
  type RedisCacheOptions,
  type ResolvedModel,
  registerPrices,
  registerProvider,
  resolveModel,
  setHistoryLimit,
  streamLM,
  TieredCache,
  trackUsage,
  type UsageLimits,
  type UsageSummary,
} from './lm/index.js';
export type {
  AssistantMessage,
  ChatMessage,
  ContentPart,
  FinishReason,
  LanguageModel,
  LMRequest,
  LMResponse,
  LMStreamChunk,
  ResponseFormat,
  TextMessage,
  ToolCall,
  ToolChoice,
  ToolDefinition,
  ToolMessage,
  Usage,
} from './lm/types.js';
export type { MediaKind } from './media/detect.js';
export {
  Audio,
  File,
  type FileOptions,
  Image,
  Media,
  type MediaOptions,
  type MediaRef,
} from './media/media.js';
// Modules.
export {
  type Attempt,
  BestOfN,
  type CallConfig,
  ChainOfThought,
  type ChainOfThoughtConstructor,
  type ChainOfThoughtOptions,
  type LMParams,
  type MajorityOptions,
  Module,
  type ModuleConstructor,
  type ModuleDecorator,
  type ModuleLike,
  type ModuleLoadOptions,
  type ModuleOptions,
  type ModuleSaveOptions,
  type MultiChainCallConfig,
  MultiChainComparison,
  type MultiChainComparisonConstructor,
  type MultiChainComparisonOptions,
  majority,
  methodPredictor,
  Parallel,
  type ParallelJob,
  type ParallelOptions,
  type ParallelResult,
  Predict,
  type PredictConstructor,
  type PredictOptions,
  ProgramOfThought,
  type ProgramOfThoughtConstructor,
  type ProgramOfThoughtOptions,
  type ProgramStreamEvent,
  ReAct,
  type ReActConstructor,
  type ReActExtractInputs,
  type ReActInputs,
  type ReActNext,
  type ReActOptions,
  Refine,
  type RewardFn,
  type RolloutOptions,
  runSandboxed,
  runWithTrace,
  type SandboxFailureKind,
  type SandboxOptions,
  type SandboxResult,
  type StreamEvent,
  type StreamFieldDelta,
  type StreamifyOptions,
  type StreamListener,
  streamify,
  Tool,
  type ToolDecorator,
  type ToolFunctionOptions,
  type ToolShape,
  type ToolStreamEvent,
  type TracedRun,
  tool,
  toolDefinition,
  toolsOf,
  type WithCode,
  type WithRationale,
  type WithReasoning,
  type WithTrajectory,
} from './modules/index.js';
export type { Predictor, PredictorState, TraceEntry } from './modules/types.js';
// Retrieval.
export {
  type BM25Options,
  BM25Retriever,
  Embeddings,
  type EmbeddingsData,
  type EmbeddingsLoadOptions,
  type EmbeddingsOptions,
  type HybridOptions,
  HybridRetriever,
  type Retriever,
  type RetrieverResult,
} from './retrieve/index.js';
// Settings and logging.
export {
  configure,
  type Logger,
  logger,
  type Settings,
  silentLogger,
  type TelemetrySettings,
  withSettings,
} from './settings.js';
export type { Code, Reasoning } from './signature/code-reasoning.js';
export { History, type HistoryData, type HistoryTurnValues } from './signature/history.js';
// Signatures.
export {
  type FieldDecorator,
  type FieldOptions,
  InputField,
  type InputsOf,
  type integer,
  loadMethodSignatures,
  OutputField,
  type OutputsOf,
  type ParseSide,
  type ParseSignature,
  type ParseType,
  type PrecompiledValidators,
  type RegistryEntryOf,
  registerManifest,
  registerValidators,
  Signature,
  type SignatureClass,
  type SignatureDecorator,
  type SignatureOptions,
  type SignatureTarget,
  type SpecOf,
  type SpecSource,
  type StringSignatureOptions,
  signature,
  specOf,
  type ToolOptions,
} from './signature/index.js';
export type { Manifest, ManifestSignature, ManifestTool, SignatureRegistry } from './signature/manifest.js';
export {
  type FieldRole,
  type FieldSpec,
  type JsonSchema,
  type JsonValue,
  SignatureSpec,
  type SignatureSpecData,
  type SignatureTypes,
  type SpecInputs,
  type SpecOutputs,
} from './signature/spec.js';
// Tool calls a model makes, and agent steps.
export {
  type AgentStep,
  type ExecuteToolsOptions,
  type ToolCallItem,
  type ToolCallOptions,
  ToolCalls,
  type ToolResult,
} from './tools/index.js';
