/**
 * The one error class of dspy-ts. Every failure the library raises is a `DspyError` whose
 * `code` says what kind of failure it is; `cause` keeps the underlying error.
 */

/** Every code a {@link DspyError} can carry. */
export type DspyErrorCode =
  | 'SIGNATURE_INVALID'
  | 'SIGNATURE_PARSE'
  | 'DECORATOR_MISUSE'
  | 'SCHEMA_MISSING'
  | 'MANIFEST_STALE'
  | 'BUILD_DIAGNOSTICS'
  | 'BUILD_CONFIG'
  | 'INPUT_INVALID'
  | 'OPTION_INVALID'
  | 'ADAPTER_PARSE'
  | 'ADAPTER_FORMAT'
  | 'LM_CONFIG'
  | 'LM_AUTH'
  | 'LM_RATE_LIMIT'
  | 'LM_TIMEOUT'
  | 'LM_CONNECTION'
  | 'LM_BAD_REQUEST'
  | 'LM_NOT_FOUND'
  | 'LM_SERVER'
  | 'LM_EMPTY'
  | 'LM_CONTEXT_OVERFLOW'
  | 'LM_ABORTED'
  | 'CACHE_IO'
  | 'MODULE_INVALID'
  | 'TOOL_ERROR'
  | 'SANDBOX_ERROR'
  | 'METRIC_ERROR'
  | 'EVALUATE_ERROR_BUDGET'
  | 'PARALLEL_ERROR_BUDGET'
  | 'ARTIFACT_INVALID'
  | 'ARTIFACT_MISMATCH'
  | 'ARTIFACT_IO'
  | 'OPTIMIZER_INVALID'
  | 'BUDGET_EXHAUSTED'
  | 'BUDGET_LEDGER'
  | 'DATASET_INVALID'
  | 'CLI_USAGE'
  | 'ABORTED'
  | 'WORKER_JOB_FAILED'
  // A synchronous API of the web entry needs a piece that loads on first use; the fix names what to await.
  | 'NOT_LOADED'
  | 'INTERNAL';

/** Extra, code-specific facts an error carries (raw completion, fields, status, ...). */
export interface DspyErrorDetails {
  /** Where the problem is: a signature, field, file:line:col, predictor path, ... */
  readonly where?: string;
  /** How to fix it, in one or two sentences. */
  readonly fix?: string;
  readonly [key: string]: unknown;
}

/** Options accepted by the {@link DspyError} constructor. */
export interface DspyErrorOptions {
  readonly cause?: unknown;
  readonly details?: DspyErrorDetails;
}

/**
 * The error every dspy-ts API throws.
 *
 * @example
 * ```ts
 * try { await qa.forward({ question }); }
 * catch (e) { if (isDspyError(e, 'ADAPTER_PARSE')) console.log(e.details.raw); }
 * ```
 */
export class DspyError extends Error {
  override readonly name = 'DspyError';
  readonly code: DspyErrorCode;
  readonly details: DspyErrorDetails;

  constructor(code: DspyErrorCode, message: string, options: DspyErrorOptions = {}) {
    const fix = options.details?.fix;
    super(fix && !message.includes(fix) ? `${message}\n  How to fix: ${fix}` : message, {
      cause: options.cause,
    });
    this.code = code;
    this.details = options.details ?? {};
  }

  /** Normalises anything thrown into a `DspyError` (kept as is when it already is one). */
  static from(err: unknown, code: DspyErrorCode = 'INTERNAL', context?: string): DspyError {
    if (err instanceof DspyError) return err;
    const msg = err instanceof Error ? err.message : String(err);
    return new DspyError(code, context ? `${context}: ${msg}` : msg, { cause: err });
  }
}

/** True when `err` is a {@link DspyError}, optionally of the given code(s). */
export function isDspyError(err: unknown, ...codes: DspyErrorCode[]): err is DspyError {
  return err instanceof DspyError && (codes.length === 0 || codes.includes(err.code));
}
