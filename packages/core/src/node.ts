/**
 * `@dspy-ts/core` for servers (the `node`, `bun` and `deno` export conditions): the same API as
 * the web entry, with ajv loaded at start-up so that every validation API works synchronously
 * from the first call.
 * @packageDocumentation
 */
import './ajv.js';

export * from './index.js';
