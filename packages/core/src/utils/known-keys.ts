/**
 * Checking option objects against the keys a function accepts, with a "did you mean" for typos
 * (`maxRetries` for `numRetries`).
 */
import { DspyError, type DspyErrorCode } from '../errors.js';

/** Levenshtein distance between two strings (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = row;
  }
  return prev[b.length] as number;
}

/**
 * The known key closest to `unknown`, if one is close enough to be a likely typo: compared
 * case-insensitively, at most a third of the longer name (and at least 2 edits) away. Ties go to
 * the key listed first.
 *
 * @example
 * ```ts
 * suggestKey('maxRetries', ['numRetries', 'timeoutMs']); // 'numRetries'
 * suggestKey('colour', ['temperature']); // undefined
 * ```
 */
export function suggestKey(unknown: string, known: readonly string[]): string | undefined {
  const target = unknown.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const key of known) {
    const d = editDistance(target, key.toLowerCase());
    const limit = Math.max(2, Math.floor(Math.max(target.length, key.length) / 3));
    if (d <= limit && d < bestDistance) {
      best = key;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Throws a `DspyError` with `code` when `obj` has an own key not in `known`, naming every unknown
 * key with the nearest known one (`details.keys`, `details.suggestions`). `hint` is added to the fix.
 *
 * @example
 * ```ts
 * checkKnownKeys("new LM('openai/gpt-4o-mini')", options, ['numRetries', 'timeoutMs'], 'LM_CONFIG');
 * // DspyError LM_CONFIG: new LM('openai/gpt-4o-mini'): unknown option 'maxRetries' (did you mean 'numRetries'?)
 * ```
 */
export function checkKnownKeys(
  where: string,
  obj: object,
  known: readonly string[],
  code: DspyErrorCode,
  hint?: string,
): void {
  const unknown = Object.keys(obj).filter((k) => !known.includes(k));
  if (unknown.length === 0) return;
  const suggestions: Record<string, string> = {};
  const named = unknown.map((k) => {
    const near = suggestKey(k, known);
    if (near !== undefined) suggestions[k] = near;
    return near === undefined ? `'${k}'` : `'${k}' (did you mean '${near}'?)`;
  });
  const noun = unknown.length === 1 ? 'option' : 'options';
  const renames = Object.entries(suggestions).map(([k, near]) => `${near} for ${k}`);
  const fix = [
    renames.length > 0 ? `Use ${renames.join(', ')}.` : `Known options: ${known.join(', ')}.`,
    hint,
  ]
    .filter((s) => s !== undefined)
    .join(' ');
  throw new DspyError(code, `${where}: unknown ${noun} ${named.join(', ')}`, {
    details: { where, fix, keys: unknown, suggestions, known: [...known] },
  });
}
