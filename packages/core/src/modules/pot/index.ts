/** ProgramOfThought and its JavaScript sandbox. */
export {
  ProgramOfThought,
  ProgramOfThoughtBase,
  type ProgramOfThoughtConstructor,
  type ProgramOfThoughtOptions,
  type WithCode,
} from './program-of-thought.js';
export { runSandboxed, type SandboxOptions, type SandboxResult } from './sandbox.js';
export type { SandboxFailureKind } from './sandbox-errors.js';
