import type { FieldTexts } from './prompt/types.js';
import { STOPWORDS } from './tokens.js';

/** A token of a text with its place: letters and digits, joined by `-_.@/#:+` inside (`A-10234`, `a@b.io`). */
interface Token {
  readonly text: string;
  readonly lower: string;
  readonly start: number;
  readonly end: number;
}

const TOKEN = /[\p{L}\p{N}]+(?:[-_.@/#:+][\p{L}\p{N}]+)*/gu;

function tokensOf(text: string): Token[] {
  return [...text.matchAll(TOKEN)].map((m) => ({
    text: m[0],
    lower: m[0].toLowerCase(),
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/** The shape of a token: runs of capitals `A`, small letters `a`, digits `9`; other characters kept (`A-10234` → `A-9`). */
export function shapeOf(token: string): string {
  return token
    .replace(/\p{Lu}+/gu, 'A')
    .replace(/\p{Ll}+/gu, 'a')
    .replace(/\p{N}+/gu, '9');
}

/** True for a token that looks like data rather than a word: it has a digit or an inner joiner. */
function distinctive(token: string): boolean {
  return /\p{N}|[-_.@/#:+]/u.test(token);
}

/** Start indexes (in `tokens`) where the token sequence `value` occurs. */
function occurrences(tokens: readonly Token[], value: readonly Token[]): number[] {
  const at: number[] = [];
  for (let i = 0; i + value.length <= tokens.length; i++) {
    if (value.every((v, j) => tokens[i + j]!.text === v.text)) at.push(i);
  }
  return at;
}

/**
 * The span of `currentText` at the place where `value` sits in `demoText`: after the same left
 * word (`order A-10234` → the token after `order`), as a token of the same shape. A one-token
 * value that looks like data (digits, joiners) may also be found by shape alone (the same
 * occurrence among tokens of its shape); a plain word or a phrase needs the same left word, and
 * that word must not be a stopword. `undefined` when `value` is not in `demoText` or nothing fits.
 *
 * @example
 * ```ts
 * carrySpan('A-10234', 'My order A-10234 is late', 'Where is order B-77?'); // 'B-77'
 * ```
 */
export function carrySpan(value: string, demoText: string, currentText: string): string | undefined {
  const wanted = tokensOf(value);
  if (wanted.length === 0) return undefined;
  const demo = tokensOf(demoText);
  const first = occurrences(demo, wanted)[0];
  if (first === undefined) return undefined;
  const left = demo[first - 1]?.lower;
  const current = tokensOf(currentText);
  const span = (i: number) => currentText.slice(current[i]!.start, current[i + wanted.length - 1]!.end);
  const fits = (i: number) =>
    i + wanted.length <= current.length &&
    (wanted.length > 1 || shapeOf(current[i]!.text) === shapeOf(wanted[0]!.text));
  const usableLeft = left !== undefined && (distinctive(left) || !STOPWORDS.has(left));
  if (usableLeft) {
    const ordinal = demo.slice(0, first).filter((t) => t.lower === left).length - 1;
    const after = current.flatMap((t, i) => (t.lower === left && fits(i + 1) ? [i + 1] : []));
    const pick = after[Math.min(Math.max(ordinal, 0), after.length - 1)];
    if (pick !== undefined) return span(pick);
  }
  if (wanted.length > 1 || !distinctive(wanted[0]!.text)) return undefined;
  const shape = shapeOf(wanted[0]!.text);
  const ordinal = demo.slice(0, first).filter((t) => shapeOf(t.text) === shape).length;
  const same = current.flatMap((t, i) => (shapeOf(t.text) === shape ? [i] : []));
  const pick = same[Math.min(ordinal, same.length - 1)];
  return pick === undefined ? undefined : span(pick);
}

/**
 * The value at the place in `inputs` where `value` sits in a demo's `demoInputs` (see
 * {@link carrySpan}), trying the fields in the demo's order; `undefined` when it sits in none.
 */
export function carryFromInputs(
  value: string,
  demoInputs: FieldTexts,
  inputs: FieldTexts,
): string | undefined {
  for (const [name, text] of Object.entries(demoInputs)) {
    const current = inputs[name];
    if (current === undefined) continue;
    const carried = carrySpan(value, text, current);
    if (carried !== undefined) return carried;
  }
  return undefined;
}

/** A path of keys and indexes into a JSON value. */
export type JsonPath = readonly (string | number)[];

/** The first path (depth first, in key order) to a leaf of `json` whose text is `value`'s. */
export function findPath(json: unknown, value: unknown, depth = 0): JsonPath | undefined {
  if (json === null || typeof json !== 'object') {
    return json !== undefined && String(json) === String(value) ? [] : undefined;
  }
  if (depth > 16) return undefined;
  const entries: [string | number, unknown][] = Array.isArray(json)
    ? json.map((v, i) => [i, v])
    : Object.entries(json as Record<string, unknown>);
  for (const [key, v] of entries) {
    const sub = findPath(v, value, depth + 1);
    if (sub) return [key, ...sub];
  }
  return undefined;
}

/** The value at `path` in `json`, if there is one. */
export function atPath(json: unknown, path: JsonPath): unknown {
  let at: unknown = json;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

/** JSON text parsed, else the text itself (a tool result that is not JSON). */
export function parseLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
