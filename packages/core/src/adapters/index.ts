/** Adapters: chat, JSON, XML and two-step prompt formats, parsing, coercion and validation. */
export { type AdapterOptions, BaseAdapter } from './base-adapter.js';
export { ChatAdapter, type ChatAdapterOptions } from './chat-adapter.js';
export { type CoerceResult, coerceText, coerceValue, parseBoolean, parseNumber } from './coerce.js';
export { INCOMPLETE_DEMO_NOTICE } from './demos.js';
export { type FieldKind, type FieldKindName, fieldKind, TOOL_CALLS_NOTE } from './field-kind.js';
export { JSONAdapter } from './json-adapter.js';
export {
  extractJson,
  type JsonExtraction,
  loadJsonRepair,
  needsJsonRepair,
  withJsonRepair,
} from './json-extract.js';
export { NATIVE_ONLY_REQUIREMENTS, NATIVE_TOOLS_LINE, STRUCTURE_INTRO } from './layout.js';
export { NOT_SUPPLIED, renderValue } from './render.js';
export { readSections } from './sections.js';
export { ChatStreamParser, createChatStreamParser, type FieldDelta } from './stream-parser.js';
export { type OutputSchema, outputSchemaOf } from './strict-schema.js';
export { loadAdapterSupport } from './support.js';
export { callList, type NativeToolCalls } from './tool-values.js';
export { TOOL_RESULTS } from './trajectory.js';
export { TwoStepAdapter, type TwoStepAdapterOptions } from './two-step-adapter.js';
export {
  canValidateNow,
  compileSchema,
  describeValidatorErrors,
  ensureValidators,
  loadSchemaCompiler,
  type PrecompiledValidator,
  type SchemaValidator,
  type ValidationResult,
  type ValidatorError,
  validateValue,
} from './validate.js';
export { XMLAdapter } from './xml-adapter.js';
