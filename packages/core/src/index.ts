/**
 * `@dspy-ts/core`: the run time of dspy-ts. Each area has one curated barrel.
 * @packageDocumentation
 */
import 'reflect-metadata';

// Area barrels: each lists its own public names explicitly.
export * from './adapters/index.js';
export type {
  Adapter,
  AdapterCallArgs,
  AdapterCallResult,
  Demo,
  FormatArgs,
  HistoryTurn,
} from './adapters/types.js';
export * from './artifact/index.js';
export {
  type Callback,
  type CallbackEventBase,
  type CallbackEventName,
  type CallbackEvents,
  emit,
  newCallId,
} from './callbacks.js';
export { Example, ExampleBase, type ExampleConstructor } from './data/example.js';
export {
  Prediction,
  PredictionBase,
  type PredictionConstructor,
  type PredictionInit,
} from './data/prediction.js';
export {
  type ExampleProblem,
  type ValidateExamplesOptions,
  validateExamples,
} from './data/validate-examples.js';
export {
  DspyError,
  type DspyErrorCode,
  type DspyErrorDetails,
  type DspyErrorOptions,
  isDspyError,
} from './errors.js';
export * from './evaluate/index.js';
export * from './lm/index.js';
export type {
  ChatMessage,
  FinishReason,
  LanguageModel,
  LMRequest,
  LMResponse,
  LMStreamChunk,
  ResponseFormat,
  Usage,
} from './lm/types.js';
export { addUsage, ZERO_USAGE } from './lm/types.js';
export * from './modules/index.js';
export type { Predictor, PredictorState, TraceEntry } from './modules/types.js';
export { isPredictor } from './modules/types.js';
export {
  configure,
  currentSettings,
  type Logger,
  logger,
  resetSettings,
  type Settings,
  silentLogger,
  stderrLogger,
  withSettings,
} from './settings.js';
export * from './signature/index.js';
export type { Manifest, ManifestSignature, ManifestTool, SignatureRegistry } from './signature/manifest.js';
export {
  canonicalJson,
  type FieldRole,
  type FieldSpec,
  hashSignature,
  type JsonSchema,
  type JsonValue,
  SignatureSpec,
  type SignatureSpecData,
  type SignatureTypes,
  type SpecInputs,
  type SpecOutputs,
} from './signature/spec.js';
export { checkKnownKeys, suggestKey } from './utils/known-keys.js';
