import { DspyError, isDspyError } from '@dspy-ts/core';

/** The commands whose errors may carry a library fix text written for the API. */
export type CliCommand = 'compile' | 'eval' | 'run';

/**
 * API spellings in the library's fix texts and what a user of each command passes instead,
 * so that every fix the command line prints names options it has.
 */
const REWRITES: readonly { pattern: RegExp; cli: Partial<Record<CliCommand, string>> }[] = [
  {
    pattern: /recompile and save again/,
    cli: { eval: 'compile it again (dspy-ts compile)', run: 'compile it again (dspy-ts compile)' },
  },
  {
    pattern: /pass \{ allowSignatureDrift: true \}/,
    cli: { eval: 'pass --allow-signature-drift', run: 'pass --allow-signature-drift' },
  },
  {
    pattern: /raise maxErrors/,
    cli: { eval: 'raise --max-errors', compile: `raise maxErrors with --options '{"maxErrors": 20}'` },
  },
  { pattern: /pass probeMetric: false/, cli: { compile: `pass --options '{"probeMetric": false}'` } },
  {
    pattern: /with \{ resume: true, checkpoint \}/,
    cli: { compile: 'with --resume (and the same --checkpoint)' },
  },
];

/** The fix the command line prints for `err`: its own, else the first of its causes'. */
function shownFix(err: DspyError): string | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (isDspyError(e) && typeof e.details.fix === 'string') return e.details.fix;
  }
  return undefined;
}

/** `fix` with every API spelling replaced by the command's option, or undefined when none applies. */
export function cliFix(fix: string, command: CliCommand): string | undefined {
  let out = fix;
  for (const { pattern, cli } of REWRITES) {
    const replacement = cli[command];
    if (replacement !== undefined) out = out.replace(pattern, replacement);
  }
  return out === fix ? undefined : out;
}

/**
 * Rewrites the fix of an error a command is about to print into the command's terms (the
 * options it has), keeping the original as `cause`; other errors pass through.
 */
export function inCliTerms(err: unknown, command: CliCommand): unknown {
  if (!isDspyError(err)) return err;
  const fix = shownFix(err);
  const rewritten = fix === undefined ? undefined : cliFix(fix, command);
  if (rewritten === undefined || fix === undefined) return err;
  const message = err.message.replace(`\n  How to fix: ${fix}`, '');
  return new DspyError(err.code, message, { cause: err, details: { ...err.details, fix: rewritten } });
}
