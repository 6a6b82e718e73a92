import { DspyError } from '../errors.js';
import { jsonErrorOffset } from './json-position.js';

/** Deepest nesting of objects and arrays accepted in an artifact or a DSPy state. */
export const MAX_JSON_DEPTH = 256;

/** A JSON pointer segment (`~` and `/` escaped). */
function segment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The start of a long JSON pointer, for messages. */
function shortPointer(pointer: string): string {
  const parts = pointer.split('/');
  return parts.length <= 12 ? pointer : `${parts.slice(0, 12).join('/')}/…`;
}

function protoKey(where: string, pointer: string): DspyError {
  return new DspyError(
    'ARTIFACT_INVALID',
    `${where}: the key '__proto__' at ${shortPointer(pointer)} is not allowed (it could set an object's prototype).`,
    {
      details: {
        where: `${where}#${shortPointer(pointer)}`,
        key: '__proto__',
        fix: 'Remove or rename the __proto__ key; regenerate the file with program.save().',
      },
    },
  );
}

function tooDeep(where: string, at: string, extra: Record<string, unknown> = {}): DspyError {
  return new DspyError(
    'ARTIFACT_INVALID',
    `${where}: objects and arrays are nested more than ${MAX_JSON_DEPTH} levels deep at ${at}.`,
    {
      details: {
        where: `${where}${at.startsWith('/') ? '#' : ':'}${at}`,
        maxDepth: MAX_JSON_DEPTH,
        ...extra,
        fix: `Keep demo values and settings to plain JSON nested at most ${MAX_JSON_DEPTH} levels (and without cycles); save the program again.`,
      },
    },
  );
}

/** Throws when JSON text nests objects and arrays deeper than {@link MAX_JSON_DEPTH} (scanned without recursion). */
function checkTextDepth(text: string, where: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH) {
        const { line, column } = lineColumn(text, i);
        throw tooDeep(where, `${line}:${column}`, { line, column, offset: i });
      }
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
}

/** Line and column (1-based) of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/**
 * Parses JSON text nested at most {@link MAX_JSON_DEPTH} levels, rejecting `__proto__` keys
 * (`constructor` and `prototype` are ordinary data); a syntax error becomes `ARTIFACT_INVALID`
 * naming `where` and the line and column of the error.
 */
export function parseJsonSafely(text: string, where: string): unknown {
  checkTextDepth(text, where);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const match = /position (\d+)/.exec(message);
    const offset = match ? Number(match[1]) : jsonErrorOffset(text);
    const { line, column } = lineColumn(text, offset);
    throw new DspyError(
      'ARTIFACT_INVALID',
      `${where} is not valid JSON at line ${line}, column ${column} (offset ${offset}): ${message}`,
      {
        cause: err,
        details: {
          where: `${where}:${line}:${column}`,
          line,
          column,
          offset,
          fix: 'The file is corrupt or truncated: restore it, or save the program again.',
        },
      },
    );
  }
  assertSafeKeys(value, where);
  return value;
}

/**
 * Throws `ARTIFACT_INVALID` when a value holds an own `__proto__` key, or nests objects and
 * arrays deeper than {@link MAX_JSON_DEPTH} levels (a cycle counts as too deep). Walks without
 * recursion, so no input can overflow the stack.
 */
export function assertSafeKeys(value: unknown, where: string): void {
  const stack: { value: unknown; depth: number; pointer: string }[] = [{ value, depth: 1, pointer: '' }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value: v, depth, pointer } = item;
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_JSON_DEPTH)
      throw tooDeep(where, shortPointer(pointer), { pointer: shortPointer(pointer) });
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        stack.push({ value: x, depth: depth + 1, pointer: `${pointer}/${i}` });
      });
      continue;
    }
    for (const [k, x] of Object.entries(v)) {
      const at = `${pointer}/${segment(k)}`;
      if (k === '__proto__') throw protoKey(where, at);
      stack.push({ value: x, depth: depth + 1, pointer: at });
    }
  }
}
