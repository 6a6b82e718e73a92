/**
 * `@dspy-ts/core` for servers (the `node`, `bun` and `deno` export conditions): the same API as
 * the web entry (`index.ts`, for `browser`, `workerd` and `worker`), with ajv loaded at start-up
 * so that every validation API works synchronously from the first call, for every schema.
 * @packageDocumentation
 */
import { ajvCompiler } from './adapters/ajv-compiler.js';
import { registerSchemaCompiler } from './adapters/validate.js';

registerSchemaCompiler(ajvCompiler);

export * from './index.js';
