import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import ajvFormats from 'ajv-formats';
import { DspyError } from '../errors.js';
import { canonicalJson, type JsonSchema } from '../signature/spec.js';
import { fieldAjv, strip } from './ajv-compiler.js';

// Build-time only: ajv's standalone code of schemas, for the build step's generated module and
// the frozen artifact's validator. Kept apart from ajv-compiler.ts, which apps load at run time.

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
  // The instance whose compiled schemas standaloneCode writes out (its declared type is core's
  // narrow view of ajv; the object is ajv's).
  let ajv: Ajv;
  if (dialect === '2020-12') ajv = fieldAjv(true) as unknown as Ajv;
  else {
    ajv = new Ajv({
      allErrors: true,
      strict: true,
      allowUnionTypes: true,
      logger: false,
      code: { source: true, lines: true },
    });
    ajvFormats.default(ajv, ['date-time']);
  }
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
