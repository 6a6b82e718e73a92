import { DspyError, type DspyErrorCode, isDspyError } from '@dspy-ts/core';

/** Error codes that mean the command was used wrongly (exit code 2), not that the run failed. */
const USAGE_CODES: ReadonlySet<DspyErrorCode> = new Set<DspyErrorCode>([
  'CLI_USAGE',
  'DATASET_INVALID',
  'OPTIMIZER_INVALID',
  'BUILD_CONFIG',
  'LM_CONFIG',
]);

/** Exit code of a successful command. */
export const EXIT_OK = 0;
/** Exit code of a run that failed (LM errors, failed build, metric errors, ...). */
export const EXIT_FAILED = 1;
/** Exit code of bad usage (missing file, wrong export, malformed data, unknown option value). */
export const EXIT_USAGE = 2;

/** A `DspyError('CLI_USAGE')` saying what is wrong, where, and how to fix it. */
export function usageError(message: string, where: string, fix: string): DspyError {
  return new DspyError('CLI_USAGE', message, { details: { where, fix } });
}

/** The exit code for an error thrown by a command. */
export function exitCodeOf(err: unknown): number {
  if (isDspyError(err) && USAGE_CODES.has(err.code)) return EXIT_USAGE;
  return EXIT_FAILED;
}

/** One readable block for an error: the message (with its fix) and, for unexpected errors, the stack. */
export function formatError(err: unknown): string {
  if (isDspyError(err)) {
    const where =
      err.details.where && !err.message.includes(err.details.where) ? ` (${err.details.where})` : '';
    return `dspy-ts: ${err.message}${where}`;
  }
  if (err instanceof Error) return `dspy-ts: ${err.stack ?? err.message}`;
  return `dspy-ts: ${String(err)}`;
}
