import { DspyError } from '../errors.js';
import { jsonErrorOffset } from './json-position.js';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function forbiddenKey(key: string, where: string): DspyError {
  return new DspyError('ARTIFACT_INVALID', `${where}: the key '${key}' is not allowed in an artifact.`, {
    details: {
      where,
      key,
      fix: 'Artifacts never contain __proto__, constructor or prototype keys; regenerate it with program.save().',
    },
  });
}

/** Line and column (1-based) of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/**
 * Parses JSON text, rejecting `__proto__`, `constructor` and `prototype` keys; a syntax error
 * becomes `ARTIFACT_INVALID` naming `where` and the line and column of the error.
 */
export function parseJsonSafely(text: string, where: string): unknown {
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN.has(key)) throw forbiddenKey(key, where);
      return value;
    });
  } catch (err) {
    if (err instanceof DspyError) throw err;
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
}

/** Throws when a parsed value holds a `__proto__`, `constructor` or `prototype` own key. */
export function assertSafeKeys(value: unknown, where: string): void {
  if (Array.isArray(value)) {
    for (const item of value) assertSafeKeys(item, where);
  } else if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN.has(key)) throw forbiddenKey(key, where);
      assertSafeKeys((value as Record<string, unknown>)[key], where);
    }
  }
}
