/**
 * `@dspy-ts/core` for servers (the `node`, `bun` and `deno` export conditions): the same API as
 * the web entry (`index.ts`, for `browser`, `workerd` and `worker`), with ajv loaded at start-up
 * so that every validation API works synchronously from the first call, for every schema, and the
 * disk and Redis tiers of the LM cache registered.
 * @packageDocumentation
 */
import { ajvCompiler } from './adapters/ajv-compiler.js';
import { registerSchemaCompiler } from './adapters/validate.js';
import { registerCacheTiers } from './lm/cache/config.js';
import { cacheTiers } from './lm/cache/tiers.js';

registerSchemaCompiler(ajvCompiler);
// The disk and Redis tiers of the LM cache, so that the synchronous cache APIs have them at once.
registerCacheTiers(cacheTiers);

export * from './index.js';
