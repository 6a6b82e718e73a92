/** Signatures: decorators, string signatures, the build-step manifest registry, and `specOf`. */
export { type FieldDecorator, InputField, OutputField } from './field-decorators.js';
export {
  type FieldMeta,
  type FieldOptions,
  type MetadataRecord,
  type MethodMeta,
  registerMetadata,
  type SignatureOptions,
  signatureOptionsOf,
  type ToolMeta,
  toolMethodsOf,
} from './metadata.js';
export { type SignatureMethod, signatureMethodsOf } from './method-list.js';
export { getMethodRunner, type MethodRunner, setMethodRunner } from './method-runner.js';
export { loadMethodSignatures } from './method-support.js';
export {
  clearManifests,
  manifestSignature,
  manifestTool,
  type PrecompiledValidators,
  registeredManifest,
  registerManifest,
  registerValidators,
} from './registry.js';
export { Signature, type SignatureDecorator } from './signature-decorator.js';
export { isSignatureSpec, type SpecSource, specOf } from './spec-of.js';
export { type StringSignatureOptions, signature } from './string-signature.js';
export type { ParseSide, ParseSignature, ParseType } from './string-types.js';
export { recordToolMethod, type ToolOptions } from './tool-metadata.js';
export type {
  InputsOf,
  OutputsOf,
  RegistryEntryOf,
  SignatureClass,
  SignatureTarget,
  SpecOf,
} from './types.js';
export type { integer } from './types-extra.js';
