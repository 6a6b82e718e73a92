import { DspyError } from '../errors.js';

/** `k` when it is a positive integer, else `INPUT_INVALID` naming the caller. */
export function checkK(where: string, k: number): number {
  if (Number.isInteger(k) && k >= 1) return k;
  throw new DspyError('INPUT_INVALID', `${where}: k must be a positive integer, got ${k}`, {
    details: { where, fix: "Pass k >= 1, or leave it out for the retriever's own k." },
  });
}

/** Refuses a query that is not a non-empty string. */
export function checkQuery(where: string, query: unknown): asserts query is string {
  if (typeof query === 'string' && query.trim() !== '') return;
  const what =
    typeof query === 'string' ? 'is empty' : `is ${query === null ? 'null' : typeof query}, not a string`;
  throw new DspyError('INPUT_INVALID', `${where}: the query ${what}`, {
    details: { where, fix: 'Search with a non-empty string.' },
  });
}

/**
 * The ids of `count` new passages: `given` (checked: as many, strings, unique, none in `taken`),
 * else the positions `start`, `start + 1`, ... as strings.
 */
export function newIds(
  where: string,
  count: number,
  start: number,
  given: readonly string[] | undefined,
  taken: ReadonlyMap<string, number>,
): string[] {
  if (given === undefined) return Array.from({ length: count }, (_, i) => String(start + i));
  const bad = (what: string) =>
    new DspyError('INPUT_INVALID', `${where}: ${what}`, {
      details: { where, fix: 'Pass one unique string id per passage, or leave ids out.' },
    });
  if (!Array.isArray(given) || given.length !== count) throw bad(`${count} passages but ${given.length} ids`);
  const seen = new Set<string>();
  for (const id of given) {
    if (typeof id !== 'string' || id === '') throw bad(`id ${JSON.stringify(id)} is not a non-empty string`);
    if (seen.has(id) || taken.has(id)) throw bad(`id '${id}' is used twice`);
    seen.add(id);
  }
  return [...given];
}
