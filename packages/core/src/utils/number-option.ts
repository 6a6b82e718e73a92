import { DspyError } from '../errors.js';

/** What a numeric option allows. */
export interface NumberRule {
  /** Whole numbers only. */
  readonly integer?: boolean;
  /** Smallest allowed value (inclusive). */
  readonly min: number;
  /** Largest allowed value (inclusive; default: no limit). */
  readonly max?: number;
  /** `Infinity` is allowed and means "no limit". */
  readonly infinity?: boolean;
}

/** The rule in words: `an integer ≥ 1`, `a number in [0, 1]`, `... or Infinity`. */
export function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? 'an integer' : 'a number';
  const range = rule.max === undefined ? `≥ ${rule.min}` : `in [${rule.min}, ${rule.max}]`;
  return `${kind} ${range}${rule.infinity ? ' or Infinity' : ''}`;
}

/** True when `value` is a number `rule` allows. */
export function fitsRule(value: unknown, rule: NumberRule): value is number {
  if (typeof value !== 'number') return false;
  if (value === Number.POSITIVE_INFINITY) return rule.infinity === true;
  if (!Number.isFinite(value) || (rule.integer && !Number.isInteger(value))) return false;
  return value >= rule.min && (rule.max === undefined || value <= rule.max);
}

/**
 * Throws `OPTION_INVALID` unless `value` (when given) is a number `rule` allows. The error names
 * the option, the value and what is allowed; a NaN is usually `Number(process.env.X)` of an
 * unset variable, and the fix says so.
 *
 * @example
 * ```ts
 * checkNumberOption('evaluate', 'concurrency', opts.concurrency, { integer: true, min: 1 });
 * ```
 */
export function checkNumberOption(owner: string, option: string, value: unknown, rule: NumberRule): void {
  if (value === undefined || fitsRule(value, rule)) return;
  const allowed = describeRule(rule);
  const shown = typeof value === 'string' ? `'${value}' (a string)` : String(value);
  const nan = typeof value === 'number' && Number.isNaN(value);
  throw new DspyError('OPTION_INVALID', `${owner}: ${option} is ${shown}; it must be ${allowed}.`, {
    details: {
      where: `${owner}.${option}`,
      option,
      value,
      allowed,
      fix: `Set ${option} to ${allowed}, or leave it out for the default.${nan ? ' A NaN usually comes from Number() of an unset or empty environment variable.' : ''}`,
    },
  });
}
