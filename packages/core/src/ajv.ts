/**
 * `@dspy-ts/core/ajv`: importing it loads ajv at start-up, so that every JSON Schema can be
 * validated synchronously from the first call, including schemas without a precompiled
 * validator (signatures from strings). The server entry of `@dspy-ts/core` (conditions `node`,
 * `bun`, `deno`) does the same; the web entry loads this module on first need
 * (`loadSchemaCompiler`), by its package name, so that an app bundled as one file can leave ajv
 * out by marking `@dspy-ts/core/ajv` external.
 * @packageDocumentation
 */
import { ajvCompiler } from './adapters/ajv-compiler.js';
import { registerSchemaCompiler, type SchemaValidator } from './adapters/validate.js';
import type { JsonSchema } from './signature/spec.js';

registerSchemaCompiler(ajvCompiler);

/** ajv as a schema compiler (what `loadSchemaCompiler()` installs when it imports this entry). */
export const schemaCompiler: { compile(schema: JsonSchema): SchemaValidator } = ajvCompiler;
