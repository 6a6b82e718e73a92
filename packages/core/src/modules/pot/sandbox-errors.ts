import { DspyError } from '../../errors.js';

/** Why sandboxed code failed. */
export type SandboxFailureKind =
  | 'syntax'
  | 'runtime'
  | 'timeout'
  | 'memory'
  | 'stack'
  | 'pending'
  | 'globals';

/** What the sandbox knows about a failure. @internal */
export interface SandboxFailure {
  readonly kind: SandboxFailureKind;
  readonly name?: string;
  readonly message: string;
  readonly line?: number;
}

/** Names whose absence means the code reached for something the sandbox does not give. */
const HOST_NAMES =
  /\b(process|require|module|exports|global|Buffer|fetch|XMLHttpRequest|setTimeout|setInterval|Deno|Bun)\b|could not load module/;

const FIXES: Record<SandboxFailureKind, string> = {
  syntax: 'Fix the syntax: the code must be plain JavaScript (no TypeScript types, no imports).',
  runtime:
    'Fix the error in the code; it runs as plain JavaScript with only `console.log` and the given globals.',
  timeout: 'Make the code finish sooner (no endless loops), or raise timeoutMs.',
  memory: 'Use less memory (no runaway arrays or strings), or raise memoryLimitBytes.',
  stack: 'Avoid deep or endless recursion, or raise maxStackBytes.',
  pending: 'Do not wait on promises that never settle: the sandbox has no timers, network or files.',
  globals: 'Pass globals as JSON values (objects, arrays, strings, numbers, booleans, null).',
};

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 500);
}

/** A one-line description of a failure, as the model is shown it. @internal */
export function describeFailure(
  f: SandboxFailure,
  limits: { timeoutMs: number; memoryLimitBytes: number; maxStackBytes: number },
): string {
  const error = f.name ? `${f.name}: ${firstLine(f.message)}` : firstLine(f.message);
  const at = f.line !== undefined ? ` (line ${f.line})` : '';
  switch (f.kind) {
    case 'syntax':
      return `the code does not parse: ${error}${at}`;
    case 'runtime': {
      const host = HOST_NAMES.test(f.message)
        ? ' (the sandbox has no process, require, modules, timers, filesystem or network access)'
        : '';
      return `the code threw ${error}${at}${host}`;
    }
    case 'timeout':
      return `the code ran past its CPU-time limit of ${limits.timeoutMs} ms and was stopped`;
    case 'memory':
      return `the code ran out of memory (limit ${limits.memoryLimitBytes} bytes) and was stopped`;
    case 'stack':
      return `the code overflowed its stack (limit ${limits.maxStackBytes} bytes), likely through runaway recursion`;
    case 'pending':
      return 'the code returned a promise that never settles';
    case 'globals':
      return error;
  }
}

/** The `SANDBOX_ERROR` for a failure; `details.kind` says which kind. @internal */
export function sandboxError(
  f: SandboxFailure,
  limits: { timeoutMs: number; memoryLimitBytes: number; maxStackBytes: number },
  cause?: unknown,
): DspyError {
  const text = describeFailure(f, limits);
  return new DspyError('SANDBOX_ERROR', `Sandboxed JavaScript failed: ${text}.`, {
    cause,
    details: {
      where: 'runSandboxed',
      fix: FIXES[f.kind],
      kind: f.kind,
      ...(f.name ? { errorName: f.name } : {}),
      ...(f.line !== undefined ? { line: f.line } : {}),
      summary: text,
    },
  });
}
