/**
 * `@dspy-ts/codegen`: the dspy-ts build step. Reads `@Signature` classes and methods and
 * `@Tool`s with the TypeScript type checker (ts-morph), turns their types into JSON Schema,
 * and writes one generated module that registers them with `@dspy-ts/core`.
 * @packageDocumentation
 */
export { build } from './build.js';
export { type BuildCommandArgs, runBuildCommand } from './cli-entry.js';
export { formatDiagnostics, sortDiagnostics } from './diagnostics.js';
export { DEFAULT_OUT } from './paths.js';
export { checkStale, type StaleReport } from './stale.js';
export type { BuildDiagnostic, BuildOptions, BuildProgress, BuildResult } from './types.js';
export { type WatchHandle, type WatchOptions, watch } from './watch.js';
