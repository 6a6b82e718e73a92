import type { JsonValue } from '@dspy-ts/core';
import type { DocTag } from './jsdoc.js';

/** A mutable JSON Schema object while it is being built. */
export type Schema = { [keyword: string]: JsonValue };

type Kind = 'number' | 'string' | 'array';

/** Numeric keyword tags and the type each applies to (a `Map`: `@constructor` is not one of them). */
const NUMERIC_TAGS: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  ['minimum', 'number'],
  ['maximum', 'number'],
  ['exclusiveMinimum', 'number'],
  ['exclusiveMaximum', 'number'],
  ['minLength', 'string'],
  ['maxLength', 'string'],
  ['minItems', 'array'],
  ['maxItems', 'array'],
]);

/** The JSON types a schema admits, when it states them plainly (`undefined` for `$ref`, `anyOf`, ...). */
function typesOf(schema: Schema): string[] | undefined {
  const t = schema.type;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return undefined;
}

function admits(schema: Schema, kind: Kind): boolean {
  const types = typesOf(schema);
  if (!types) return true;
  if (kind === 'number') return types.includes('number') || types.includes('integer');
  return types.includes(kind);
}

/** Turns `number` into `integer` in a schema (and in the items of a number array). */
export function makeInteger(schema: Schema): boolean {
  const t = schema.type;
  if (t === 'number') {
    schema.type = 'integer';
    return true;
  }
  if (Array.isArray(t) && t.includes('number')) {
    schema.type = t.map((x) => (x === 'number' ? 'integer' : x));
    return true;
  }
  const items = schema.items;
  if (t === 'array' && items && typeof items === 'object' && !Array.isArray(items)) {
    return makeInteger(items as Schema);
  }
  return false;
}

function parseJsonish(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/**
 * Applies JSDoc constraint tags to `schema` (in place). Returns one message per tag that
 * could not be applied (wrong type, bad value), for the caller to report.
 */
export function applyTags(schema: Schema, tags: readonly DocTag[]): string[] {
  const problems: string[] = [];
  for (const { name, text } of tags) {
    const kind = NUMERIC_TAGS.get(name);
    if (kind) {
      const value = Number(text);
      if (text === '' || !Number.isFinite(value)) {
        problems.push(`@${name} needs a number, got '${text}'`);
      } else if (!admits(schema, kind)) {
        problems.push(`@${name} applies to ${kind === 'array' ? 'arrays' : `${kind}s`}, not to this type`);
      } else if (kind !== 'number' && (!Number.isInteger(value) || value < 0)) {
        problems.push(`@${name} needs a non-negative integer, got '${text}'`);
      } else {
        schema[name] = value;
      }
      continue;
    }
    switch (name) {
      case 'integer':
        if (!makeInteger(schema)) problems.push('@integer applies to number fields (or arrays of numbers)');
        break;
      case 'pattern':
        if (!admits(schema, 'string')) problems.push('@pattern applies to strings, not to this type');
        else if (!isRegExp(text)) problems.push(`@pattern '${text}' is not a valid regular expression`);
        else schema.pattern = text;
        break;
      case 'format':
        if (!text) problems.push('@format needs a format name (e.g. email, uri, date)');
        else schema.format = text;
        break;
      case 'default':
        schema.default = parseJsonish(text);
        break;
      case 'examples':
      case 'example': {
        const value = parseJsonish(text);
        const list = Array.isArray(schema.examples) ? schema.examples : [];
        if (name === 'examples' && Array.isArray(value)) list.push(...value);
        else list.push(value);
        schema.examples = list;
        break;
      }
      default:
        break;
    }
  }
  return problems;
}

function isRegExp(text: string): boolean {
  if (!text) return false;
  try {
    new RegExp(text, 'u');
    return true;
  } catch {
    return false;
  }
}
