import { DspyError, type DspyErrorCode, isDspyError } from '@dspy-ts/core';

/** Error codes that mean the command was used wrongly (exit code 2), not that the run failed. */
const USAGE_CODES: ReadonlySet<DspyErrorCode> = new Set<DspyErrorCode>([
  'CLI_USAGE',
  'DATASET_INVALID',
  'OPTIMIZER_INVALID',
  'OPTION_INVALID',
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

/** `err` and its chain of causes, outermost first. */
function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = err; e !== undefined && !chain.includes(e) && chain.length < 10; ) {
    chain.push(e);
    e = e instanceof Error ? e.cause : undefined;
  }
  return chain;
}

/**
 * True when the error comes from the user's code while the command ran (a metric that threw
 * or returned a non-score mid-run), even if an optimizer reported it as an invalid setup.
 */
function failedInUserCode(err: DspyError): boolean {
  if (causeChain(err).some((e) => isDspyError(e, 'METRIC_ERROR'))) return true;
  return err.code === 'OPTIMIZER_INVALID' && err.cause !== undefined;
}

/**
 * The exit code for an error thrown by a command: 2 for bad usage (the command line, a file,
 * the data or an option was wrong), 1 for a run that failed (LM errors, build diagnostics,
 * a metric or program that threw, unexpected errors).
 */
export function exitCodeOf(err: unknown): number {
  if (isDspyError(err) && USAGE_CODES.has(err.code) && !failedInUserCode(err)) return EXIT_USAGE;
  return EXIT_FAILED;
}

/** The `where`, example index and fix of a `DspyError` that its message does not already say. */
function detailLines(err: DspyError, message: string, withFix: boolean): string[] {
  const lines: string[] = [];
  const { where, fix, index } = err.details;
  if (typeof where === 'string' && where !== '' && !message.includes(where)) lines.push(`  where: ${where}`);
  if (typeof index === 'number' && !message.includes(`[${index}]`) && !(where ?? '').includes(`[${index}]`)) {
    lines.push(`  example: #${index} (0-based index in the data)`);
  }
  if (withFix && typeof fix === 'string' && fix !== '' && !message.includes(fix))
    lines.push(`  How to fix: ${fix}`);
  return lines;
}

/**
 * One readable block for an error: the message, then the `where`, example index and fix of it
 * and of each `DspyError` it wraps (what the outer message leaves out); for unexpected errors,
 * the stack.
 */
export function formatError(err: unknown): string {
  if (isDspyError(err)) {
    const fix = typeof err.details.fix === 'string' ? err.details.fix : undefined;
    const message = fix ? err.message.replace(`\n  How to fix: ${fix}`, '') : err.message;
    const lines = [`dspy-ts: ${message}`];
    let said = message;
    let hasFix = false;
    for (const e of causeChain(err)) {
      if (!isDspyError(e)) continue;
      const first = e.message.split('\n')[0] ?? e.message;
      if (e !== err && !said.includes(first)) {
        lines.push(`  caused by: ${first}`);
        said += `\n${first}`;
      }
      // The outermost fix wins: a wrapper rewrites its cause's fix in the command line's terms.
      const more = detailLines(e, said, e === err || !hasFix);
      hasFix ||= typeof e.details.fix === 'string';
      lines.push(...more);
      said += `\n${more.join('\n')}`;
    }
    // The fix comes last, after every where and index.
    const fixLines = lines.filter((l) => l.startsWith('  How to fix: '));
    return [...lines.filter((l) => !l.startsWith('  How to fix: ')), ...fixLines].join('\n');
  }
  if (err instanceof Error) return `dspy-ts: ${err.stack ?? err.message}`;
  return `dspy-ts: ${String(err)}`;
}
