import type { FieldSpec, JsonSchema } from './spec.js';

/**
 * What the build step (`dspy-ts build`) knows about one signature: the generated module
 * registers these so the run time has full JSON Schemas and JSDoc without ts-morph.
 */
export interface ManifestSignature {
  /** `class` for a decorated class, `method` for a decorated method. */
  readonly kind: 'class' | 'method';
  /** `QA` for a class, `Service.classify` for a method. Unique in a project. */
  readonly name: string;
  /** Source file, relative to the project root, with `:line:col` of the declaration. */
  readonly location: string;
  /** From `@Signature({ instructions })`, else the JSDoc comment, else ''. */
  readonly instructions: string;
  readonly inputs: readonly FieldSpec[];
  readonly outputs: readonly FieldSpec[];
  /** `hashSignature` of the above. */
  readonly hash: string;
}

/** What the build step knows about one `@Tool` function or method. */
export interface ManifestTool {
  /** `lookup` for a function, `Tools.lookup` for a method. */
  readonly name: string;
  /** The name the model sees (from `@Tool({ name })`, else the function/method name). */
  readonly toolName: string;
  readonly location: string;
  /** From `@Tool({ desc })`, else the JSDoc comment. */
  readonly description: string;
  /** Parameter names in declaration order. */
  readonly params: readonly string[];
  /** An object schema over the parameters (`properties`, `required`). */
  readonly parameters: JsonSchema;
  /** Schema of the awaited return type, when it can be expressed. */
  readonly returns?: JsonSchema;
}

/** The whole output of one build. */
export interface Manifest {
  readonly version: 1;
  /** SHA-256 (hex) of each source file that declares a signature or tool, by relative path. */
  readonly sourceHashes: Readonly<Record<string, string>>;
  readonly signatures: Readonly<Record<string, ManifestSignature>>;
  readonly tools: Readonly<Record<string, ManifestTool>>;
}

/**
 * Type-level map filled by the generated module through declaration merging:
 * `declare module '@dspy-ts/core' { interface SignatureRegistry { QA: { ... } } }`.
 * Each entry names the class (or method owner), its input keys and output keys.
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by generated code
export interface SignatureRegistry {}
