import { DspyError, type DspyErrorCode } from '@dspy-ts/core';

/**
 * The `keepRequests` option as a limit: `Infinity` when omitted (keep every record), else an
 * integer >= 0; anything else is a `DspyError` with `code`, naming `where`.
 */
export function keepLimit(keep: number | undefined, where: string, code: DspyErrorCode): number {
  if (keep === undefined) return Number.POSITIVE_INFINITY;
  if (Number.isInteger(keep) && keep >= 0) return keep;
  throw new DspyError(code, `${where}: invalid keepRequests (${keep})`, {
    details: { where, fix: 'Give an integer >= 0, or omit it to keep every request.' },
  });
}

/** Appends `items` to `list` and drops its oldest entries beyond `limit`. */
export function pushNewest<T>(list: T[], limit: number, ...items: T[]): void {
  list.push(...items);
  if (list.length > limit) list.splice(0, list.length - limit);
}
