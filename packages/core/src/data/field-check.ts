import { fieldKind } from '../adapters/field-kind.js';
import { isStringArray } from '../adapters/render.js';
import { compileSchema } from '../adapters/validate.js';
import { isMedia } from '../media/brand.js';
import type { MediaKind } from '../media/detect.js';
import { hasMedia, mediaKindOf } from '../media/field-types.js';
import type { FieldRole, FieldSpec, JsonSchema } from '../signature/spec.js';

/**
 * Checks one value against a field: it must be data a prompt can show (no functions, symbols,
 * bigints, `Map`s or other objects that render as `{}`), and valid for the field's JSON Schema
 * (the same ajv validators the adapters use). Returns why not, or undefined when it is fine.
 */
export type FieldCheck = (value: unknown) => string | undefined;

const MAX_DEPTH = 64;
const checks: Record<FieldRole, WeakMap<FieldSpec, FieldCheck>> = {
  input: new WeakMap(),
  output: new WeakMap(),
};

/** A short view of a value for error messages. */
export function preview(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'bigint') return `${value}n`;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  text ??= String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function typeName(value: object): string {
  const ctor = (value as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'object';
}

/** Why `value` cannot be shown in a prompt as JSON, or undefined when it can. */
function notData(value: unknown, path: string, seen: Set<object>, depth: number): string | undefined {
  const at = path ? ` at ${path}` : '';
  switch (typeof value) {
    case 'function':
      return `a function${at} (a prompt would show its source)`;
    case 'symbol':
      return `a symbol${at}`;
    case 'bigint':
      return `a bigint${at} (not JSON; pass a number or a string)`;
    case 'number':
      return Number.isFinite(value) ? undefined : `${value}${at} (not a finite number)`;
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return undefined;
  if (seen.has(value)) return `a circular reference${at}`;
  if (depth > MAX_DEPTH) return `nested deeper than ${MAX_DEPTH} levels${at}`;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return undefined;
  if (value instanceof Map || value instanceof Set) {
    return `a ${typeName(value)}${at} (it renders as {}; pass ${value instanceof Map ? 'Object.fromEntries(map)' : 'an array'})`;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  const plain = proto === Object.prototype || proto === null || Array.isArray(value);
  if (!plain && Object.keys(value).length === 0) return `a ${typeName(value)}${at} (it renders as {})`;
  seen.add(value);
  try {
    const entries: [string, unknown][] = Array.isArray(value)
      ? value.map((v, i): [string, unknown] => [`[${i}]`, v])
      : Object.entries(value).map(([k, v]): [string, unknown] => [`.${k}`, v]);
    for (const [key, v] of entries) {
      const why = notData(v, `${path || '(value)'}${key}`, seen, depth + 1);
      if (why) return why;
    }
  } finally {
    seen.delete(value);
  }
  return undefined;
}

/** A `Tool[]` value: tools are code (the adapter sends their definitions), so only their shape is checked. */
function checkTools(value: unknown): string | undefined {
  if (!Array.isArray(value)) return `is ${preview(value)}: must be a list of tools`;
  for (const [i, t] of value.entries()) {
    const tool = t as { name?: unknown; call?: unknown } | null;
    if (
      typeof tool !== 'object' ||
      tool === null ||
      typeof tool.name !== 'string' ||
      typeof tool.call !== 'function'
    )
      return `has ${preview(t)} at [${i}]: not a tool (a tool has a 'name' and a 'call' function)`;
  }
  return undefined;
}

const MEDIA_CLASS: Readonly<Record<MediaKind, string>> = { image: 'Image', audio: 'Audio', file: 'File' };

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Why a value does not hold a media value (`Image`, `Audio`, `File`) where the schema marks one
 * (the field itself, list items, object properties), naming the factory that makes one; a
 * Buffer, a path or a `{ url }` object is not media, and would reach the model as text.
 */
function mediaMismatch(schema: JsonSchema, value: unknown, at: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const kind = mediaKindOf(schema);
  if (kind) {
    if (isMedia(value) && value.kind === kind) return undefined;
    const name = MEDIA_CLASS[kind];
    const what = isMedia(value) ? `${value.textView()}` : preview(value);
    const hint =
      typeof value === 'string' && /^https?:\/\//.test(value)
        ? `${name}.fromUrl(${JSON.stringify(value.slice(0, 80))})`
        : typeof value === 'string'
          ? `await ${name}.fromFile(${JSON.stringify(value.slice(0, 80))}), or ${name}.fromUrl(url)`
          : `await ${name}.fromBytes(bytes), await ${name}.fromFile(path) or ${name}.fromUrl(url)`;
    return `is ${what}${at}: must be ${kind === 'audio' ? 'an Audio' : `a${kind === 'image' ? 'n' : ''} ${name}`} value; make one with ${hint}`;
  }
  if (Array.isArray(value) && isSchema(schema.items)) {
    for (const [i, item] of value.entries()) {
      const why = mediaMismatch(schema.items, item, `${at} at [${i}]`);
      if (why) return why;
    }
  } else if (isSchema(schema.properties) && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, sub] of Object.entries(schema.properties)) {
      if (!isSchema(sub)) continue;
      const why = mediaMismatch(sub, (value as Record<string, unknown>)[key], `${at} at .${key}`);
      if (why) return why;
    }
  }
  return undefined;
}

function build(field: FieldSpec, role: FieldRole): FieldCheck {
  const fk = fieldKind(field);
  if (fk.kind === 'tools') return checkTools;
  if (hasMedia(field)) {
    const rest = buildData(field, role, fk);
    return (value) => mediaMismatch(field.schema, value, '') ?? rest(value);
  }
  return buildData(field, role, fk);
}

function buildData(field: FieldSpec, role: FieldRole, fk: ReturnType<typeof fieldKind>): FieldCheck {
  // A string input also takes a list of strings (prompts show it as numbered «...» lines).
  const listForString = role === 'input' && fk.kind === 'string';
  // A plain string field (no constraints) takes any string without asking ajv.
  const anyString = fk.kind === 'string' && !fk.constrained;
  let validate: ReturnType<typeof compileSchema> | undefined;
  const direct: FieldCheck = (value) => {
    // A `Code` field also takes its source as a plain string (shown fenced in its language).
    if ((anyString || fk.kind === 'code') && typeof value === 'string') return undefined;
    const why = typeof value === 'string' ? undefined : notData(value, '', new Set(), 0);
    if (why) return `is ${why}`;
    validate ??= compileSchema(field.schema);
    const result = validate(value);
    if (result.ok) return undefined;
    // Values with toJSON (a Date) are checked as the prompt shows them.
    if (typeof value === 'object' && value !== null) {
      const shown: unknown = JSON.parse(JSON.stringify(value));
      if (validate(shown).ok) return undefined;
    }
    return `is ${preview(value)}: ${result.errors.map((e) => e.replace(/^\(value\) /, '')).join('; ')}`;
  };
  return (value) => (listForString && isStringArray(value) ? undefined : direct(value));
}

/**
 * The check of a field's values in a role (compiled once per field): inputs also accept a
 * string[] for a `string` field, which prompts show as a numbered list. (Lists of accepted
 * labels are `validateExamples`' `labelLists` option.)
 */
export function fieldCheck(field: FieldSpec, role: FieldRole): FieldCheck {
  const cache = checks[role];
  let check = cache.get(field);
  if (!check) {
    check = build(field, role);
    cache.set(field, check);
  }
  return check;
}

/** One value that does not fit its field. */
export interface FieldProblem {
  /** The field's name. */
  readonly field: string;
  /** The field's type as written (`string[]`, `'a' | 'b'`). */
  readonly expected: string;
  /** What is wrong (`is missing`, `is "abc": must be integer`). */
  readonly problem: string;
}

const NONE: readonly FieldProblem[] = Object.freeze([]);
/** The `problem` of a required field that has no value. */
export const MISSING = 'is missing';
const listChecks: Record<FieldRole, WeakMap<readonly FieldSpec[], readonly FieldCheck[]>> = {
  input: new WeakMap(),
  output: new WeakMap(),
};

function checksOf(fields: readonly FieldSpec[], role: FieldRole): readonly FieldCheck[] {
  let list = listChecks[role].get(fields);
  if (!list) {
    list = fields.map((f) => fieldCheck(f, role));
    listChecks[role].set(fields, list);
  }
  return list;
}

/**
 * Every problem of `values` for `fields` in a role: required fields missing (`undefined`, or
 * `null` where the field is not optional), values that are not data, values that fail the
 * schema. Optional fields may be absent or null; keys that are not fields are ignored. The
 * checks are compiled once per field list, so this is cheap enough for every call.
 */
export function fieldProblems(
  fields: readonly FieldSpec[],
  values: Readonly<Record<string, unknown>>,
  role: FieldRole,
): readonly FieldProblem[] {
  const checks = checksOf(fields, role);
  let problems: FieldProblem[] | undefined;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as FieldSpec;
    const value = values[field.name];
    let problem: string | undefined;
    if (value === undefined || value === null) {
      if (field.optional) continue;
      problem = value === undefined ? MISSING : (checks[i] as FieldCheck)(value);
    } else problem = (checks[i] as FieldCheck)(value);
    if (!problem) continue;
    problems ??= [];
    problems.push({ field: field.name, expected: field.typeText, problem });
  }
  return problems ?? NONE;
}
