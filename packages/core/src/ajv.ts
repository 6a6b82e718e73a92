/**
 * `@dspy-ts/core/ajv`: importing it loads ajv at start-up, so that every JSON Schema can be
 * validated synchronously from the first call, including schemas without a precompiled
 * validator (signatures from strings). The server entry of `@dspy-ts/core` (conditions `node`,
 * `bun`, `deno`) imports it; web apps load ajv on first need instead (`loadSchemaCompiler`).
 * @packageDocumentation
 */
import { ajvCompiler } from './adapters/ajv-compiler.js';
import { registerSchemaCompiler } from './adapters/validate.js';

registerSchemaCompiler(ajvCompiler);
