/** ProgramOfThought and its JavaScript sandbox. */
export { runSandboxed, type SandboxOptions, type SandboxResult } from './sandbox.js';
export type { SandboxFailureKind } from './sandbox-errors.js';
