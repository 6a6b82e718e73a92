/**
 * `@dspy-ts/core/validator-runtime`: the helpers of ajv's run time that precompiled validators
 * (the standalone code `dspy-ts build` writes into the generated module) call. The generated
 * module imports only the ones its validators use.
 * @packageDocumentation
 */
import * as equalModule from 'ajv/dist/runtime/equal.js';
import * as ucs2lengthModule from 'ajv/dist/runtime/ucs2length.js';
import * as formatsModule from 'ajv-formats/dist/formats.js';

/**
 * The export of a CommonJS module compiled from ESM (`exports.default = ...`, `exports.name = ...`):
 * Node hands an importer `module.exports` as the default export, bundlers may hand `exports.default`.
 */
function cjsExport<T>(namespace: object, name: string): T {
  const direct = (namespace as Record<string, unknown>)[name];
  const wrapped = name === 'default' && typeof direct === 'object' && direct !== null && 'default' in direct;
  if (direct !== undefined && !wrapped) return direct as T;
  return (namespace as { default?: Record<string, unknown> }).default?.[name] as T;
}

/** The length of a string in Unicode code points (what `minLength` and `maxLength` count). */
export const ucs2length: (text: string) => number = cjsExport(ucs2lengthModule, 'default');

/** Deep equality of JSON values (`enum` and `const` with objects, `uniqueItems`). */
export const equal: (a: unknown, b: unknown) => boolean = cjsExport(equalModule, 'default');

/** The checks of the `format` keyword (ajv-formats' full set), by format name. */
export const formats: Readonly<Record<string, unknown>> = cjsExport(formatsModule, 'fullFormats');
