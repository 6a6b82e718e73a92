import { Prediction } from '../data/prediction.js';
import { DspyError } from '../errors.js';
import { normalizeText } from '../evaluate/index.js';

type Fields = Record<string, unknown>;

/** Options of {@link majority}. */
export interface MajorityOptions {
  /** The field voted on (default: the last field of the first completion). */
  readonly field?: string;
  /** Maps a value to its vote key; `undefined` skips the value (default: `normalizeText`). */
  readonly normalize?: (text: string) => string | undefined;
}

function fieldsOf(value: unknown): Fields {
  if (value && typeof value === 'object') {
    const toJSON = (value as { toJSON?: () => unknown }).toJSON;
    const plain = typeof toJSON === 'function' ? toJSON.call(value) : value;
    if (plain && typeof plain === 'object') return plain as Fields;
  }
  throw new DspyError('INPUT_INVALID', 'majority: every completion must be an object of output fields.', {
    details: { where: 'majority', fix: 'Pass a Prediction, or an array of Predictions or output objects.' },
  });
}

function completionsOf(source: unknown): Fields[] {
  if (Array.isArray(source)) return source.map(fieldsOf);
  const completions = (source as { completions?: unknown } | null)?.completions;
  if (Array.isArray(completions)) return completions.map(fieldsOf);
  return [fieldsOf(source)];
}

/**
 * Votes over completions: the completion whose `field` value (normalised) is the most common
 * wins; ties go to the value seen first. Accepts a prediction (its `completions`), or an array
 * of predictions or output objects.
 *
 * @example
 * ```ts
 * const pred = await qa.forward({ question }, { n: 5 });
 * majority(pred).answer; // the most frequent answer
 * ```
 */
export function majority<O extends Fields = Fields>(
  source: Prediction<O> | readonly (Prediction<O> | O)[],
  fieldOrOptions?: string | MajorityOptions,
): Prediction<O> {
  const opts: MajorityOptions =
    typeof fieldOrOptions === 'string' ? { field: fieldOrOptions } : (fieldOrOptions ?? {});
  const completions = completionsOf(source);
  const first = completions[0];
  if (!first) {
    throw new DspyError('INPUT_INVALID', 'majority: there are no completions to vote on.', {
      details: { where: 'majority', fix: 'Pass at least one prediction or completion.' },
    });
  }
  const field = opts.field ?? Object.keys(first).at(-1);
  if (field === undefined) {
    throw new DspyError('INPUT_INVALID', 'majority: the completions have no fields.', {
      details: { where: 'majority', fix: 'Pass completions with output fields, or name the field.' },
    });
  }
  const normalize = opts.normalize ?? normalizeText;
  const votes = new Map<string, { count: number; completion: Fields }>();
  for (const c of completions) {
    const value = c[field];
    if (value === undefined || value === null) continue;
    const key = normalize(typeof value === 'string' ? value : JSON.stringify(value));
    if (key === undefined) continue;
    const entry = votes.get(key);
    if (entry) entry.count += 1;
    else votes.set(key, { count: 1, completion: c });
  }
  let winner: { count: number; completion: Fields } | undefined;
  for (const entry of votes.values()) if (!winner || entry.count > winner.count) winner = entry;
  const chosen = (winner?.completion ?? first) as O;
  return new Prediction<O>(chosen, { completions: [chosen] });
}
