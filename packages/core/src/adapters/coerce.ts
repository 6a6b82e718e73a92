import { codeLanguageOf, isCodeValue, parseCode } from '../signature/code-reasoning.js';
import type { JsonValue } from '../signature/spec.js';
import { readToolCalls } from '../tools/tool-calls.js';
import type { FieldKind } from './field-kind.js';
import { dropNullOptionals, extractJson } from './json-extract.js';
import { compileSchema } from './validate.js';

/** A value read from a completion, or why it could not be. */
export type CoerceResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: string };

const QUOTED = /^(?:"([\s\S]*)"|'([\s\S]*)'|`([\s\S]*)`|\*\*([\s\S]*)\*\*)$/;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;
/** Python's `Literal['a']` / `str['a']` written around a literal value. */
const PY_LITERAL = /^(?:Literal|str)\[([\s\S]*)\]$/;
/** `_` between digits, as Python writes long numbers (`123_456.789`). */
const DIGIT_UNDERSCORE = /(\d)_(?=\d)/g;
const TRUE = new Set(['true', 'yes']);
const FALSE = new Set(['false', 'no']);

/** Drops one pair of surrounding quotes, backticks or `**`, and a sentence's final period. */
export function unquote(text: string): string {
  const m = QUOTED.exec(text);
  const inner = m ? (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').trim() : text;
  return inner.endsWith('.') && !inner.endsWith('..') ? inner.slice(0, -1).trimEnd() : inner;
}

/** Reads a number: `1,234`, `123_456.789`, `42.`, `+3`, `1e3`, `"7"`. */
export function parseNumber(text: string): number | undefined {
  let t = text.trim();
  const m = QUOTED.exec(t);
  if (m) t = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').trim();
  t = t.replace(/(\d),(?=\d{3}(?:\D|$))/g, '$1').replace(DIGIT_UNDERSCORE, '$1');
  if (t.endsWith('.') && /\d\.$/.test(t)) t = t.slice(0, -1);
  if (!NUMBER.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** Reads a boolean: `true`/`false` and `yes`/`no`, in any case, quoted or not. */
export function parseBoolean(text: string): boolean | undefined {
  const t = unquote(text.trim()).toLowerCase();
  if (TRUE.has(t)) return true;
  if (FALSE.has(t)) return false;
  return undefined;
}

/** The value inside a Python `Literal['a']` or `str['a']` wrapper, unquoted; else undefined. */
function pythonLiteralInner(text: string): string | undefined {
  const m = PY_LITERAL.exec(unquote(text.trim()));
  return m ? unquote((m[1] ?? '').trim()) : undefined;
}

function matchOption(fk: FieldKind, text: string): CoerceResult {
  const texts = fk.options.map((o) => (typeof o === 'string' ? o : JSON.stringify(o)));
  const inner = pythonLiteralInner(text);
  const candidates = inner === undefined ? [text, unquote(text)] : [text, unquote(text), inner];
  for (const candidate of candidates) {
    const exact = texts.indexOf(candidate);
    if (exact >= 0) return { ok: true, value: fk.options[exact] };
    const lower = candidate.toLowerCase();
    const loose = texts.findIndex((t) => t.toLowerCase() === lower);
    if (loose >= 0) return { ok: true, value: fk.options[loose] };
  }
  return { ok: false, reason: `'${text}' is not one of: ${texts.join('; ')}` };
}

function checked(fk: FieldKind, value: unknown): CoerceResult {
  if (!fk.constrained) return { ok: true, value };
  const result = compileSchema(fk.field.schema)(value);
  return result.ok ? { ok: true, value } : { ok: false, reason: result.errors.join('; ') };
}

/** Validates a JSON value; an object or array that fails is tried again without `null` optional properties. */
function checkedJson(fk: FieldKind, value: unknown): CoerceResult {
  const validate = compileSchema(fk.field.schema);
  const result = validate(value);
  if (result.ok) return { ok: true, value };
  if (typeof value === 'object' && value !== null) {
    const stripped = dropNullOptionals(fk.field.schema, value);
    if (validate(stripped).ok) return { ok: true, value: stripped };
  }
  return { ok: false, reason: result.errors.join('; ') };
}

function coerceJson(fk: FieldKind, text: string): CoerceResult {
  const type = fk.field.schema.type;
  const opener = type === 'object' ? '{' : type === 'array' ? '[' : undefined;
  const parsed = extractJson(text, opener);
  const validate = compileSchema(fk.field.schema);
  if (parsed.ok) {
    const result = checkedJson(fk, parsed.value);
    if (result.ok) return result;
    // A union that admits strings may take the text itself.
    if (validate(text).ok) return { ok: true, value: text };
    return result;
  }
  if (validate(text).ok) return { ok: true, value: text };
  return { ok: false, reason: 'the value is not valid JSON, even after repair' };
}

/** A `ToolCalls` value from parsed data (a list of `{ name, args }`, `{ calls }`, ...). */
function toolCallsOf(value: unknown): CoerceResult {
  const read = readToolCalls(value);
  if (read.ok) return read;
  return {
    ok: false,
    reason: `${read.reason}; write a JSON list such as [{"name": "search", "args": {"query": "..."}}], or [] to call no tool`,
  };
}

/** A `ToolCalls` value from completion text: the JSON list the model wrote (repaired if needed). */
function coerceToolCalls(text: string): CoerceResult {
  const parsed = extractJson(text);
  if (!parsed.ok) return { ok: false, reason: 'the tool calls are not valid JSON, even after repair' };
  return toolCallsOf(parsed.value);
}

/**
 * A `Code` value from what a model wrote: a fenced block (or bare code), or a JSON object
 * `{ "code": ... }` (a JSON answer, or a chat answer that wrote one); the field's language wins.
 */
function coerceCode(fk: FieldKind, value: unknown): CoerceResult {
  const language = codeLanguageOf(fk.field);
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed.startsWith('{')) {
      const parsed = extractJson(trimmed, '{');
      if (parsed.ok && isCodeValue(parsed.value)) return coerceCode(fk, parsed.value);
    }
    return { ok: true, value: parseCode(value, language) };
  }
  if (isCodeValue(value)) {
    // The code inside the object may itself be fenced.
    const inner = parseCode(value.code, language ?? value.language);
    return { ok: true, value: { code: inner.code, language: language ?? value.language ?? inner.language } };
  }
  return {
    ok: false,
    reason: `expected source code (a fenced block, or {"code": ...}), got ${JSON.stringify(value)}`,
  };
}

/**
 * Turns one field's completion text (already trimmed) into a value of the field's schema,
 * then validates it with ajv when the schema has constraints.
 */
export function coerceText(fk: FieldKind, text: string): CoerceResult {
  switch (fk.kind) {
    case 'string':
    case 'reasoning':
      return checked(fk, text);
    case 'code':
      return coerceCode(fk, text);
    case 'number':
    case 'integer': {
      const n = parseNumber(text);
      if (n === undefined) return { ok: false, reason: `'${text}' is not a number` };
      if (fk.kind === 'integer' && !Number.isInteger(n))
        return { ok: false, reason: `${n} is not an integer` };
      return checked(fk, n);
    }
    case 'boolean': {
      const b = parseBoolean(text);
      return b === undefined ? { ok: false, reason: `'${text}' is not true or false` } : checked(fk, b);
    }
    case 'enum':
      return matchOption(fk, text);
    case 'toolCalls':
      return coerceToolCalls(text);
    case 'json':
    case 'tools':
      return coerceJson(fk, text);
  }
}

/**
 * Coerces a value that came inside a JSON object (JSON adapter): strings are read like
 * completion text for non-string fields; anything else is validated as it is.
 */
export function coerceValue(fk: FieldKind, value: unknown): CoerceResult {
  if (fk.kind === 'toolCalls') return typeof value === 'string' ? coerceToolCalls(value) : toolCallsOf(value);
  if (fk.kind === 'code') return coerceCode(fk, value);
  if (fk.kind === 'reasoning') {
    if (typeof value === 'string') return { ok: true, value };
    return { ok: false, reason: `expected text, got ${JSON.stringify(value)}` };
  }
  if (typeof value === 'string' && fk.kind !== 'string') {
    if (fk.kind === 'json' && compileSchema(fk.field.schema)(value).ok) return { ok: true, value };
    return coerceText(fk, value.trim());
  }
  if (fk.kind === 'enum') {
    const known = fk.options.includes(value as JsonValue);
    return known ? { ok: true, value } : matchOption(fk, JSON.stringify(value));
  }
  if (fk.kind === 'string' && typeof value !== 'string') {
    if (typeof value === 'number' || typeof value === 'boolean') return checked(fk, String(value));
    return { ok: false, reason: `expected a string, got ${JSON.stringify(value)}` };
  }
  return fk.constrained || fk.kind !== 'string' ? checkedAlways(fk, value) : { ok: true, value };
}

function checkedAlways(fk: FieldKind, value: unknown): CoerceResult {
  if (fk.kind === 'json' || fk.kind === 'tools') return checkedJson(fk, value);
  const result = compileSchema(fk.field.schema)(value);
  return result.ok ? { ok: true, value } : { ok: false, reason: result.errors.join('; ') };
}
