import { Ajv, type Options } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import ajvFormats from 'ajv-formats';
import { DspyError } from '../errors.js';
import { interpretedValidator, isCodegenRefused } from '../runtime/interpreted-schema.js';
import { logger } from '../settings.js';
import { canonicalJson, type JsonSchema } from '../signature/spec.js';
import { fromAjvFunction, type SchemaCompiler, type SchemaValidator } from './validate.js';

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

/** An ajv for field schemas, with every format of ajv-formats. */
function fieldAjv(source: boolean): Ajv2020 {
  const instance = new Ajv2020({
    ...FIELD_OPTIONS,
    logger: source ? false : ajvLogger,
    ...(source ? { code: { source: true, lines: true } } : {}),
  });
  ajvFormats.default(instance);
  return instance;
}

let shared: Ajv2020 | undefined;

function strip(schema: JsonSchema): JsonSchema {
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

/** The helpers standalone validation code may use, as `@dspy-ts/core/validator-runtime` exports them. */
export type ValidatorRuntimeName = 'ucs2length' | 'equal' | 'formats';

/** JavaScript that defines precompiled validators, and the helpers it uses. @internal */
export interface StandaloneValidators {
  /**
   * Statements (ES2020, no imports) that declare `const <name> = { <key>: validate, ... }`:
   * one ajv validation function per schema key.
   */
  readonly code: string;
  /** The names it uses from `@dspy-ts/core/validator-runtime`, sorted. */
  readonly imports: readonly ValidatorRuntimeName[];
}

/** The `require(...)` ajv's standalone code writes for its run-time helpers, and their names. */
const RUNTIME_REQUIRES: ReadonlyArray<readonly [string, ValidatorRuntimeName]> = [
  ['require("ajv/dist/runtime/ucs2length").default', 'ucs2length'],
  ['require("ajv/dist/runtime/equal").default', 'equal'],
  ['require("ajv-formats/dist/formats").fullFormats', 'formats'],
];

/**
 * ajv's standalone code for `schemas` (by key), compiled with the options core validates field
 * schemas with (`dialect: '2020-12'`, the default) or the frozen artifact's (`'07'`), as one
 * object named `name`. Equal schemas share one function. The build step writes it into the
 * generated module, so that apps validate without loading ajv. @internal
 */
export function standaloneValidators(
  schemas: Readonly<Record<string, JsonSchema>>,
  name: string,
  dialect: '2020-12' | '07' = '2020-12',
): StandaloneValidators {
  const ajv =
    dialect === '2020-12'
      ? fieldAjv(true)
      : new Ajv({
          allErrors: true,
          strict: true,
          allowUnionTypes: true,
          logger: false,
          code: { source: true, lines: true },
        });
  if (dialect === '07') ajvFormats.default(ajv, ['date-time']);
  const ids = new Map<string, string>();
  const exports: Record<string, string> = {};
  for (const schema of Object.values(schemas)) {
    const rest = dialect === '2020-12' ? strip(schema) : schema;
    const text = canonicalJson(rest);
    let id = ids.get(text);
    if (!id) {
      id = `s${ids.size}`;
      ids.set(text, id);
      ajv.addSchema(dialect === '2020-12' ? rest : { ...rest, $id: id }, id);
      exports[id] = id;
    }
  }
  let body = ids.size === 0 ? '' : standaloneCode.default(ajv, exports);
  const imports = new Set<ValidatorRuntimeName>();
  for (const [required, helper] of RUNTIME_REQUIRES) {
    if (!body.includes(required)) continue;
    body = body.replaceAll(required, helper);
    imports.add(helper);
  }
  const left = /require\([^)]*\)/.exec(body);
  if (left) {
    throw new DspyError('INTERNAL', `ajv's standalone code needs ${left[0]}, which core does not provide.`, {
      details: {
        where: 'standaloneValidators',
        fix: 'Report this schema to dspy-ts; it cannot be precompiled.',
      },
    });
  }
  body = body.replace(/^"use strict";/, '');
  const entries = Object.entries(schemas)
    .map(([key, schema]) => {
      const text = canonicalJson(dialect === '2020-12' ? strip(schema) : schema);
      return `  ${JSON.stringify(key)}: exports.${ids.get(text)},`;
    })
    .join('\n');
  const code = `const ${name} = (() => {\n  const exports = {};\n${body}\n  return {\n${entries}\n  };\n})();\n`;
  return { code, imports: [...imports].sort() };
}
