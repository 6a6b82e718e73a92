import { createRequire } from 'node:module';
import type { Ajv2020 as Ajv2020Class, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { DspyError } from '../errors.js';
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
let ajvInstance: Ajv2020Class | undefined;

/** ajv and ajv-formats load on first use only, so importing the package stays cheap. */
function ajv(): Ajv2020Class {
  if (ajvInstance) return ajvInstance;
  const require = createRequire(import.meta.url);
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const formats = require('ajv-formats') as { default: (a: Ajv2020Class) => unknown };
  const instance = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  formats.default(instance);
  ajvInstance = instance;
  return instance;
}

function describe(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '(value)'} ${e.message ?? 'is invalid'}`.trim());
}

function build(schema: JsonSchema): SchemaValidator {
  // `$id` is dropped: ajv keeps a registry of ids, and two fields may reuse one.
  const { $id: _id, $schema: _dialect, ...rest } = schema;
  let fn: ValidateFunction;
  try {
    fn = ajv().compile(rest);
  } catch (err) {
    throw new DspyError('SIGNATURE_INVALID', `JSON Schema does not compile: ${(err as Error).message}`, {
      cause: err,
      details: {
        where: canonicalJson(schema).slice(0, 200),
        fix: 'Fix the field type (or its JSDoc constraint tags) and run `dspy-ts build` again.',
      },
    });
  }
  return (value) => (fn(value) ? OK : { ok: false, errors: describe(fn.errors) });
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
