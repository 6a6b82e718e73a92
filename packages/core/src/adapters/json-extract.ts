import type { JsonSchema } from '../signature/spec.js';
import { type LazyPiece, lazyPiece, notLoaded } from './lazy-piece.js';

/** The outcome of reading JSON out of model text. */
export type JsonExtraction = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

const FAIL: JsonExtraction = Object.freeze({ ok: false });
const FENCE = /```[A-Za-z0-9_-]*[^\S\n]*\n?([\s\S]*?)(?:```|$)/;

/** True when `value` has the shape its text opens with (repair may wrap prose into an array). */
function sameShape(value: unknown, opener: string): boolean {
  if (opener === '[') return Array.isArray(value);
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Turns malformed JSON text into JSON text (jsonrepair, once loaded). */
type RepairFunction = (text: string) => string;

const repair = lazyPiece<RepairFunction>('jsonrepair', () =>
  import('./json-repair.js').then((m) => m.repairJson),
);
/** Drops the `null` values of optional properties from a JSON value (see `null-optionals.ts`). */
type NullOptionalsStripper = (schema: JsonSchema, value: unknown) => unknown;

const stripper = lazyPiece<NullOptionalsStripper>(
  'the retry of JSON values without null optional properties',
  () => import('./null-optionals.js').then((m) => m.dropNullOptionals),
);

/** The errors thrown because a repair step was not loaded yet, with the piece each one needs. */
const pendingRepairs = new WeakMap<object, LazyPiece<unknown>>();

/** The "not loaded yet" error of `piece`, remembered so that {@link withJsonRepair} loads it and reads again. */
function pending(piece: LazyPiece<unknown>, what: string): never {
  const err = notLoaded(what, 'Reading JSON');
  pendingRepairs.set(err, piece);
  throw err;
}

/** Installs the null-optional retry (the server entry does it at start-up). @internal */
export const registerNullOptionalsStripper: (fn: NullOptionalsStripper) => void = stripper.register;

/** Loads the null-optional retry unless it is loaded already (see `loadAdapterSupport`). @internal */
export const loadNullOptionalsStripper: () => Promise<void> = stripper.load;

/**
 * `value` without the `null` values of optional properties, for a JSON value that failed its
 * schema: models often write `null` for an optional property they leave out. On the web entry,
 * the code loads on first need (a value of an object or array field that fails its schema). @internal
 */
export function dropNullOptionals(schema: JsonSchema, value: unknown): unknown {
  const fn = stripper.value ?? pending(stripper, 'the retry of JSON values without null optional properties');
  return fn(schema, value);
}

/** Installs the repair step (the server entry does it at start-up). @internal */
export const registerJsonRepair: (fn: RepairFunction) => void = repair.register;

/** Loads jsonrepair unless it is loaded already (see `loadAdapterSupport`). @internal */
export const loadJsonRepair: () => Promise<void> = repair.load;

/** True when `err` says that reading a completion needs jsonrepair, which is not loaded yet. @internal */
export function needsJsonRepair(err: unknown): boolean {
  return typeof err === 'object' && err !== null && pendingRepairs.has(err);
}

/**
 * Runs `read` (which parses completions synchronously); when it needed jsonrepair before it was
 * loaded, loads it and runs `read` again. What the asynchronous paths (adapters' `call`,
 * streaming, tool calls) wrap their parsing in. @internal
 */
export async function withJsonRepair<T>(read: () => T): Promise<T> {
  // Each round loads one missing step (jsonrepair, the null-optional retry); a loaded step
  // never throws for loading again, so this ends after at most one round per step.
  for (;;) {
    try {
      return read();
    } catch (err) {
      const piece = typeof err === 'object' && err !== null ? pendingRepairs.get(err) : undefined;
      if (!piece) throw err;
      await piece.load();
    }
  }
}

function parseOrRepair(text: string): JsonExtraction {
  const opener = text[0] ?? '';
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const fix = repair.value;
    if (!fix) pending(repair, 'jsonrepair (the JSON of this completion is malformed)');
    try {
      const value: unknown = JSON.parse(fix(text));
      return sameShape(value, opener) ? { ok: true, value } : FAIL;
    } catch {
      return FAIL;
    }
  }
}

/**
 * The first balanced `{...}` or `[...]` in `text` starting at `start`, skipping brackets inside
 * strings (double or single quoted); the rest of the text when the value is cut off.
 */
export function balancedSlice(text: string, start: number): string {
  const stack: string[] = [];
  let quote = '';
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') stack.push(c === '{' ? '}' : ']');
    else if (c === '}' || c === ']') {
      if (stack.pop() !== c) return text.slice(start, i + 1);
      if (stack.length === 0) return text.slice(start, i + 1);
    }
  }
  return text.slice(start);
}

/**
 * Reads one JSON value out of model text: strict JSON first, then the body of a code fence,
 * then a repair (trailing commas, single quotes, unquoted keys, cut-off ends), then the first
 * balanced object or array inside surrounding prose. `opener` narrows that last search to
 * `{` (objects) or `[` (arrays).
 *
 * @example
 * ```ts
 * extractJson('Sure: {a: 1,}'); // { ok: true, value: { a: 1 } }
 * ```
 */
export function extractJson(text: string, opener?: '{' | '['): JsonExtraction {
  let body = text.trim();
  const head = body[0];
  if (head === (opener ?? head) && (head === '{' || head === '[')) {
    // Strict JSON first: its strings may hold fences of their own (a Code value's source).
    try {
      return { ok: true, value: JSON.parse(body) };
    } catch {
      // Fenced, repaired or embedded: read on.
    }
  }
  const fence = body.includes('```') ? FENCE.exec(body) : null;
  if (fence?.[1] !== undefined) body = fence[1].trim();
  if (body === '') return FAIL;
  const first = body[0];
  if (opener ? first === opener : first === '{' || first === '[') {
    const whole = parseOrRepair(body);
    if (whole.ok) return whole;
  } else if (!opener && first !== '{' && first !== '[') {
    try {
      return { ok: true, value: JSON.parse(body) };
    } catch {
      // Not a bare scalar: look for an object or array inside the text.
    }
  }
  const start = opener ? body.indexOf(opener) : body.search(/[[{]/);
  if (start < 0) return FAIL;
  return parseOrRepair(balancedSlice(body, start));
}
