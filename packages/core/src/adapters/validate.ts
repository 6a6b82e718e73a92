import { DspyError } from '../errors.js';
import { canonicalJson, type JsonSchema } from '../signature/spec.js';

/** The outcome of validating one value against a JSON Schema. */
export type ValidationResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly errors: readonly string[] };

/** A compiled JSON Schema: call it with a value. */
export type SchemaValidator = (value: unknown) => ValidationResult;

/** One problem an ajv validation function reports (the fields core reads of ajv's `ErrorObject`). */
export interface ValidatorError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: unknown;
  readonly message?: string;
}

/**
 * A validation function that ajv generated ahead of time (its `standalone` code, written by
 * `dspy-ts build` into the generated module): returns whether the value is valid and leaves the
 * problems in its `errors` property, as every ajv validation function does.
 */
export interface PrecompiledValidator {
  (value: unknown): boolean;
  errors?: readonly ValidatorError[] | null;
}

/** What compiles schemas that have no precompiled validator: ajv, loaded on first need. @internal */
export interface SchemaCompiler {
  compile(schema: JsonSchema): SchemaValidator;
}

const OK: ValidationResult = Object.freeze({ ok: true });
const byIdentity = new WeakMap<object, SchemaValidator>();
const byText = new Map<string, SchemaValidator>();
/** Validators ajv compiled at build time, by the canonical JSON of their schema. */
const precompiled = new Map<string, SchemaValidator>();
let compiler: SchemaCompiler | undefined;
let loading: Promise<void> | undefined;

/** ajv's message, with the allowed values named where it only says that there are some. */
function messageOf(e: ValidatorError): string {
  const allowed = (e.params as { allowedValues?: unknown; allowedValue?: unknown } | null) ?? {};
  if (e.keyword === 'enum' && Array.isArray(allowed.allowedValues)) {
    return `must be one of ${allowed.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (e.keyword === 'const' && 'allowedValue' in allowed)
    return `must be ${JSON.stringify(allowed.allowedValue)}`;
  return e.message ?? 'is invalid';
}

/** The readable problems of a failed ajv validation (`/path message`). @internal */
export function describeValidatorErrors(errors: readonly ValidatorError[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '(value)'} ${messageOf(e)}`.trim());
}

/** A {@link SchemaValidator} over an ajv validation function (compiled now or at build time). @internal */
export function fromAjvFunction(fn: PrecompiledValidator): SchemaValidator {
  return (value) => (fn(value) ? OK : { ok: false, errors: describeValidatorErrors(fn.errors) });
}

/** The key of a schema: its canonical JSON without `$id` and `$schema` (which validation ignores). */
function keyOf(schema: JsonSchema): string {
  if (!('$id' in schema) && !('$schema' in schema)) return canonicalJson(schema);
  const { $id: _id, $schema: _dialect, ...rest } = schema;
  return canonicalJson(rest);
}

/**
 * Registers a validator ajv compiled at build time for `schema` (draft 2020-12, with formats,
 * every error: the options core compiles with at run time). Schemas equal to it are then
 * validated without loading ajv. The generated module calls this through `registerValidators`.
 * @internal
 */
export function registerPrecompiled(schema: JsonSchema, fn: PrecompiledValidator): void {
  const key = keyOf(schema);
  if (!precompiled.has(key)) precompiled.set(key, fromAjvFunction(fn));
}

/** Installs the run-time compiler (ajv) once it is loaded. @internal */
export function registerSchemaCompiler(next: SchemaCompiler): void {
  compiler ??= next;
}

/**
 * Loads ajv, which compiles the JSON Schemas that have no precompiled validator (signatures
 * from strings, schemas a build did not see), unless it is loaded already. Core's modules call it
 * before they validate, so an app only needs it before calling a synchronous validation API
 * itself (`validateExamples`, an adapter's `parse`) on such a schema in a browser or worker;
 * `import '@dspy-ts/core/ajv'` loads it at start-up instead.
 *
 * @example
 * ```ts
 * await loadSchemaCompiler();
 * validateExamples(specOf('question -> year: int'), trainset);
 * ```
 */
export function loadSchemaCompiler(): Promise<void> {
  if (compiler) return Promise.resolve();
  // By the package's own name (its `./ajv` export), not a relative path: bundlers put it in a
  // chunk of its own, and an app bundled as one file can leave it out (mark it external).
  loading ??= import('@dspy-ts/core/ajv')
    .then((m: { schemaCompiler?: SchemaCompiler }) => {
      if (!m.schemaCompiler) throw new Error('@dspy-ts/core/ajv exports no schemaCompiler (an older build?)');
      registerSchemaCompiler(m.schemaCompiler);
    })
    .catch((err: unknown) => {
      loading = undefined;
      throw new DspyError('INTERNAL', `JSON Schema validation cannot load ajv: ${String(err)}`, {
        cause: err,
        details: {
          where: 'loadSchemaCompiler',
          fix: "Let the bundler include @dspy-ts/core/ajv (do not mark it external) when a schema has no precompiled validator: run `dspy-ts build` for decorated signatures, or import '@dspy-ts/core/ajv' at start-up.",
        },
      });
    });
  return loading;
}

/** True when `schema` can be validated now (precompiled, compiled before, or ajv is loaded). @internal */
export function canValidateNow(schema: JsonSchema): boolean {
  return compiler !== undefined || byIdentity.has(schema) || precompiled.has(keyOf(schema));
}

/**
 * Resolves once every schema of `schemas` can be validated synchronously: loads ajv when one of
 * them has no precompiled validator. Returns `undefined` (nothing to wait for) in the usual case.
 * @internal
 */
export function ensureValidators(schemas: Iterable<JsonSchema>): Promise<void> | undefined {
  if (compiler) return undefined;
  for (const schema of schemas) if (!canValidateNow(schema)) return loadSchemaCompiler();
  return undefined;
}

function notLoaded(schema: JsonSchema): DspyError {
  return new DspyError(
    'NOT_LOADED',
    'JSON Schema validation needs ajv for a schema without a precompiled validator, and ajv is not loaded yet.',
    {
      details: {
        where: canonicalJson(schema).slice(0, 200),
        fix: "Call `await loadSchemaCompiler()` once before validating synchronously, or import '@dspy-ts/core/ajv' at start-up (the server entry of @dspy-ts/core does); `dspy-ts build` precompiles the schemas of decorated signatures and tools.",
      },
    },
  );
}

/**
 * Compiles a JSON Schema (draft 2020-12, with formats) once; later calls with the same schema
 * object, or an equal one, reuse the compiled validator. Uses the validator `dspy-ts build`
 * precompiled for an equal schema when there is one, else ajv (which must be loaded: see
 * {@link loadSchemaCompiler}).
 *
 * @example
 * ```ts
 * const check = compileSchema({ type: 'integer', minimum: 0 });
 * check(3); // { ok: true }
 * ```
 */
export function compileSchema(schema: JsonSchema): SchemaValidator {
  const hit = byIdentity.get(schema);
  if (hit) return hit;
  const key = keyOf(schema);
  let validator = byText.get(key) ?? precompiled.get(key);
  if (!validator) {
    if (!compiler) throw notLoaded(schema);
    validator = compiler.compile(schema);
    byText.set(key, validator);
  }
  byIdentity.set(schema, validator);
  return validator;
}

/** Validates `value` against `schema` (compiled once and cached). */
export function validateValue(schema: JsonSchema, value: unknown): ValidationResult {
  return compileSchema(schema)(value);
}
