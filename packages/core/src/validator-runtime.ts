/**
 * `@dspy-ts/core/validator-runtime`: the helpers of ajv's run time that precompiled validators
 * (the standalone code `dspy-ts build` writes into the generated module) call. The generated
 * module imports only the ones its validators use.
 * @packageDocumentation
 */
import * as equalModule from 'ajv/dist/runtime/equal.js';
import * as ucs2lengthModule from 'ajv/dist/runtime/ucs2length.js';
import { cjsExport } from './runtime/cjs-export.js';

/** The length of a string in Unicode code points (what `minLength` and `maxLength` count). */
export const ucs2length: (text: string) => number = /* @__PURE__ */ cjsExport(ucs2lengthModule, 'default');

/** Deep equality of JSON values (`enum` and `const` with objects, `uniqueItems`). */
export const equal: (a: unknown, b: unknown) => boolean = /* @__PURE__ */ cjsExport(equalModule, 'default');

// In a module of its own, so that a bundle whose validators check no format leaves ajv-formats out.
export { formats } from './validator-formats.js';
