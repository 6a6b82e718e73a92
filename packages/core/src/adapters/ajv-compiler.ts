import type { Options } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { DspyError } from '../errors.js';
import { interpretedValidator, isCodegenRefused } from '../runtime/interpreted-schema.js';
import { logger } from '../settings.js';
import { canonicalJson, type JsonSchema } from '../signature/spec.js';
import {
  fromAjvFunction,
  type PrecompiledValidator,
  type SchemaCompiler,
  type SchemaValidator,
} from './validate.js';

// ajv, loaded by `loadSchemaCompiler()` (a dynamic import, so bundlers put it in a chunk of its
// own that an app whose schemas are all precompiled never loads), and by `@dspy-ts/core/ajv`.

/**
 * Where ajv's own messages go: its warnings (such as an unknown format it ignores) to the logger
 * the user can silence; its errors nowhere, since a failed compile throws an error that says it.
 */
const ajvLogger = {
  log(): void {},
  warn: (...args: unknown[]): void => logger().warn(`ajv: ${args.map(String).join(' ')}`),
  error(): void {},
};

/** The options of field and tool schemas (draft 2020-12): the same at run time and at build time. */
const FIELD_OPTIONS: Options = { strict: false, allErrors: true, validateFormats: true };

/**
 * What core uses of an ajv instance (its own declaration, so that core's declaration files never
 * name ajv, which the published package bundles). @internal
 */
export interface FieldAjv {
  compile(schema: object): PrecompiledValidator;
  addSchema(schema: object, key: string): unknown;
}

/** An ajv for field schemas, with every format of ajv-formats (`source`: keeping its code, for standalone code). @internal */
export function fieldAjv(source: boolean): FieldAjv {
  const instance = new Ajv2020({
    ...FIELD_OPTIONS,
    logger: source ? false : ajvLogger,
    ...(source ? { code: { source: true, lines: true } } : {}),
  });
  ajvFormats.default(instance);
  return instance;
}

let shared: FieldAjv | undefined;

/** `schema` without `$id` and `$schema`. @internal */
export function strip(schema: JsonSchema): JsonSchema {
  // `$id` is dropped: ajv keeps a registry of ids, and two fields may reuse one.
  const { $id: _id, $schema: _dialect, ...rest } = schema;
  return rest;
}

/** The validator where ajv cannot compile (no code generation from strings: Cloudflare Workers, a strict CSP). */
function interpreted(schema: JsonSchema): SchemaValidator {
  const check = interpretedValidator(schema, '2020-12');
  return (value) => {
    const problems = check(value);
    return problems.length === 0
      ? { ok: true }
      : { ok: false, errors: problems.map((p) => `${p.path || '(value)'} ${p.message}`) };
  };
}

/**
 * The error for a schema ajv did not compile. Only a fault of the schema blames the field type;
 * a failure of the environment (code generation from strings disallowed) says so and how to fix it.
 */
function compileFailure(schema: JsonSchema, err: unknown): DspyError {
  const message = err instanceof Error ? err.message : String(err);
  const where = canonicalJson(schema).slice(0, 200);
  if (err instanceof EvalError) {
    return new DspyError('INTERNAL', `JSON Schema validation cannot run here: ${message}`, {
      cause: err,
      details: {
        where,
        fix: 'ajv compiles each field schema with `new Function`: allow code generation from strings (no --disallow-code-generation-from-strings; a Content-Security-Policy with unsafe-eval).',
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

/** ajv as core's run-time schema compiler. @internal */
export const ajvCompiler: SchemaCompiler = {
  compile(schema) {
    const rest = strip(schema);
    try {
      shared ??= fieldAjv(false);
      return fromAjvFunction(shared.compile(rest));
    } catch (err) {
      if (isCodegenRefused(err)) return interpreted(rest);
      throw compileFailure(schema, err);
    }
  },
};
