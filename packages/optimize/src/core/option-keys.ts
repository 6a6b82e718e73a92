import { DspyError } from '@dspy-ts/core';
import type { OptimizerOptions } from './options.js';

/**
 * Every option name of an options type, each `true`: the compiler checks such a list is
 * complete (a key of `O` left out is an error) and exact (a name `O` lacks is an error).
 */
export type OptionKeys<O> = { readonly [K in keyof Required<O>]: true };

/** The options every optimizer accepts. */
export const OPTIMIZER_OPTION_KEYS = {
  metric: true,
  metricRange: true,
  seed: true,
  numThreads: true,
  maxErrors: true,
  runner: true,
  probeMetric: true,
  progress: true,
  timestamp: true,
  handleSigint: true,
  maxLMCalls: true,
  maxTokens: true,
  maxCost: true,
  budgetLedger: true,
} as const satisfies OptionKeys<OptimizerOptions>;

/**
 * The known name closest to `key`, when one is close enough to be a likely typo (edit distance
 * after ignoring case and `_`, so DSPy's `max_bootstrapped_demos` finds `maxBootstrappedDemos`).
 */
export function suggestOptionKey(key: string, known: readonly string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replaceAll('_', '');
  // Levenshtein distance, one row at a time.
  const distanceTo = (a: string, b: string): number => {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      }
      prev = row;
    }
    return prev[b.length] ?? Number.POSITIVE_INFINITY;
  };
  const target = squash(key);
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = distanceTo(target, squash(name));
    if (!best || distance < best.distance) best = { name, distance };
  }
  const limit = Math.max(2, Math.ceil(target.length / 3));
  return best && best.distance <= limit ? best.name : undefined;
}

/**
 * Throws `OPTIMIZER_INVALID` listing every key of `options` that `known` lacks, each with a
 * "did you mean" suggestion when one is close.
 */
export function checkOptionKeys(
  optimizer: string,
  options: object,
  known: Readonly<Record<string, true>>,
): void {
  const names = Object.keys(known);
  const unknown = Object.keys(options).filter((k) => !Object.hasOwn(known, k));
  if (unknown.length === 0) return;
  const described = unknown.map((k) => {
    const near = suggestOptionKey(k, names);
    return { key: k, suggestion: near, text: near ? `'${k}' (did you mean '${near}'?)` : `'${k}'` };
  });
  const renames = described.filter((d) => d.suggestion).map((d) => `'${d.key}' to '${d.suggestion}'`);
  throw new DspyError(
    'OPTIMIZER_INVALID',
    `${optimizer}: unknown option${unknown.length > 1 ? 's' : ''} ${described.map((d) => d.text).join(', ')}.`,
    {
      details: {
        where: `${optimizer}.options`,
        unknown,
        suggestions: Object.fromEntries(
          described.flatMap((d) => (d.suggestion ? [[d.key, d.suggestion]] : [])),
        ),
        fix: `${renames.length > 0 ? `Rename ${renames.join(', ')}. ` : ''}${optimizer} accepts: ${[...names].sort().join(', ')}.`,
      },
    },
  );
}
