import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { DspyError } from '../errors.js';
import { interpretedValidator, isCodegenRefused } from '../runtime/interpreted-schema.js';
import { logger } from '../settings.js';
import { canonicalJson, type JsonSchema } from '../signature/spec.js';

/** The outcome of validating one value against a JSON Schema. */
export type ValidationResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly errors: readonly string[] };

/** A compiled JSON Schema: call it with a value. */
export type SchemaValidator = (value: unknown) => ValidationResult;

const OK: ValidationResult = Object.freeze({ ok: true });
const byIdentity = new WeakMap<object, SchemaValidator>();
const byText = new Map<string, SchemaValidator>();
let ajvInstance: Ajv2020 | undefined;

/**
 * Where ajv's own messages go: its warnings (such as an unknown format it ignores) to the logger
 * the user can silence; its errors nowhere, since a failed compile throws an error that says it.
 */
const ajvLogger = {
  log(): void {},
  warn: (...args: unknown[]): void => logger().warn(`ajv: ${args.map(String).join(' ')}`),
  error(): void {},
};

/**
 * The shared ajv instance, created on first use. ajv and ajv-formats are static imports, so
 * that an app's bundler (esbuild, webpack, Vite, Rollup) sees and includes them.
 */
function ajv(): Ajv2020 {
  if (ajvInstance) return ajvInstance;
  const instance = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, logger: ajvLogger });
  ajvFormats.default(instance);
  ajvInstance = instance;
  return instance;
}

/** ajv's message, with the allowed values named where it only says that there are some. */
function messageOf(e: ErrorObject): string {
  const allowed = (e.params as { allowedValues?: unknown; allowedValue?: unknown }) ?? {};
  if (e.keyword === 'enum' && Array.isArray(allowed.allowedValues)) {
    return `must be one of ${allowed.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (e.keyword === 'const' && 'allowedValue' in allowed)
    return `must be ${JSON.stringify(allowed.allowedValue)}`;
  return e.message ?? 'is invalid';
}

function describe(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '(value)'} ${messageOf(e)}`.trim());
}

function build(schema: JsonSchema): SchemaValidator {
  // `$id` is dropped: ajv keeps a registry of ids, and two fields may reuse one.
  const { $id: _id, $schema: _dialect, ...rest } = schema;
  let fn: ValidateFunction;
  try {
    fn = ajv().compile(rest);
  } catch (err) {
    if (isCodegenRefused(err)) return interpreted(rest);
    throw compileFailure(schema, err);
  }
  return (value) => (fn(value) ? OK : { ok: false, errors: describe(fn.errors) });
}

/** The validator where ajv cannot compile (no code generation from strings: Cloudflare Workers, a strict CSP). */
function interpreted(schema: JsonSchema): SchemaValidator {
  const check = interpretedValidator(schema, '2020-12');
  return (value) => {
    const problems = check(value);
    return problems.length === 0
      ? OK
      : { ok: false, errors: problems.map((p) => `${p.path || '(value)'} ${p.message}`) };
  };
}

/**
 * The error for a schema ajv did not compile. Only a fault of the schema blames the field type;
 * a failure of the environment (code generation from strings disallowed, a module missing from
 * an install or a bundle) says so and how to fix it.
 */
function compileFailure(schema: JsonSchema, err: unknown): DspyError {
  const message = err instanceof Error ? err.message : String(err);
  const where = canonicalJson(schema).slice(0, 200);
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof EvalError) {
    return new DspyError('INTERNAL', `JSON Schema validation cannot run here: ${message}`, {
      cause: err,
      details: {
        where,
        fix: 'ajv compiles each field schema with `new Function`: allow code generation from strings (no --disallow-code-generation-from-strings; a Content-Security-Policy with unsafe-eval).',
      },
    });
  }
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
    return new DspyError('INTERNAL', `JSON Schema validation cannot load a module: ${message}`, {
      cause: err,
      details: {
        where,
        fix: "Reinstall @dspy-ts/core's dependencies; when bundling, let the bundler include them (do not mark them external).",
      },
    });
  }
  return new DspyError('SIGNATURE_INVALID', `JSON Schema does not compile: ${message}`, {
    cause: err,
    details: {
      where,
      fix: 'Fix the field type (or its JSDoc constraint tags) and run `dspy-ts build` again.',
    },
  });
}

/**
 * Compiles a JSON Schema (draft 2020-12, with formats) once; later calls with the same schema
 * object, or an equal one, reuse the compiled validator.
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
  const key = canonicalJson(schema);
  let validator = byText.get(key);
  if (!validator) {
    validator = build(schema);
    byText.set(key, validator);
  }
  byIdentity.set(schema, validator);
  return validator;
}

/** Validates `value` against `schema` (compiled once and cached). */
export function validateValue(schema: JsonSchema, value: unknown): ValidationResult {
  return compileSchema(schema)(value);
}
