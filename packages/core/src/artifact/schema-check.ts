import type { PrecompiledValidator, ValidatorError } from '../adapters/validate.js';
import { isDateTime } from './date-time-format.js';

// Checks a value against the frozen artifact's JSON Schema (draft-07) by walking the schema: the
// keywords ARTIFACT_SCHEMA uses, with the errors ajv reports for them (same instance paths,
// keywords, params and order; a test compares the two on many artifacts). Smaller than ajv's
// standalone code for the same schema, and no code generation at run time either.

/** A (sub)schema as the build step writes it: only the keywords checked here. */
export type CheckedSchema = { readonly [keyword: string]: unknown };

/** One error, as ajv reports it (without `message` and `schemaPath`). */
interface SchemaError extends ValidatorError {
  readonly params: Readonly<Record<string, unknown>>;
  /** The key checked, for errors under `propertyNames` (as ajv adds it). */
  readonly propertyName?: string;
}

/** The keywords {@link checkSchema} knows; the build step refuses a schema with any other. */
export const CHECKED_KEYWORDS: readonly string[] = [
  '$ref',
  'type',
  'required',
  'propertyNames',
  'additionalProperties',
  'properties',
  'items',
  'minLength',
  'pattern',
  'format',
  'minimum',
  'const',
  'enum',
];

const patterns = new Map<string, RegExp>();

/** A JSON pointer segment (`~` and `/` escaped). */
const segment = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

function isType(type: unknown, v: unknown): boolean {
  if (type === 'object') return typeof v === 'object' && v !== null && !Array.isArray(v);
  if (type === 'array') return Array.isArray(v);
  if (type === 'string') return typeof v === 'string';
  if (type === 'number') return typeof v === 'number' && Number.isFinite(v);
  if (type === 'integer') return Number.isInteger(v);
  if (type === 'boolean') return typeof v === 'boolean';
  return type === 'null' && v === null;
}

function check(
  root: CheckedSchema,
  schema: CheckedSchema,
  v: unknown,
  at: string,
  out: SchemaError[],
  propertyName?: string,
): void {
  const add = (keyword: string, params: Record<string, unknown>): void => {
    out.push(
      propertyName === undefined
        ? { instancePath: at, keyword, params }
        : { instancePath: at, keyword, params, propertyName },
    );
  };
  const s = schema as {
    $ref?: string;
    type?: string | string[];
    required?: string[];
    propertyNames?: CheckedSchema;
    additionalProperties?: CheckedSchema | false;
    properties?: Record<string, CheckedSchema>;
    items?: CheckedSchema;
    minLength?: number;
    pattern?: string;
    format?: string;
    minimum?: number;
    const?: unknown;
    enum?: unknown[];
  };
  if (s.$ref !== undefined) {
    // Only local definitions: '#/definitions/<name>'.
    const target = (root.definitions as Record<string, CheckedSchema>)[s.$ref.slice(14)] as CheckedSchema;
    check(root, target, v, at, out, propertyName);
    return;
  }
  if (s.type !== undefined && !(Array.isArray(s.type) ? s.type : [s.type]).some((t) => isType(t, v))) {
    add('type', { type: s.type });
  }
  if (isType('object', v)) {
    const o = v as Record<string, unknown>;
    for (const key of s.required ?? []) if (o[key] === undefined) add('required', { missingProperty: key });
    if (s.propertyNames) {
      for (const key in o) {
        const before = out.length;
        check(root, s.propertyNames, key, at, out, key);
        if (out.length > before) add('propertyNames', { propertyName: key });
      }
    }
    if (s.additionalProperties !== undefined) {
      for (const key in o) {
        if (s.properties && Object.hasOwn(s.properties, key)) continue;
        if (s.additionalProperties === false) add('additionalProperties', { additionalProperty: key });
        else check(root, s.additionalProperties, o[key], `${at}/${segment(key)}`, out);
      }
    }
    for (const [key, sub] of Object.entries(s.properties ?? {})) {
      if (o[key] !== undefined) check(root, sub, o[key], `${at}/${segment(key)}`, out);
    }
  }
  if (Array.isArray(v) && s.items) {
    for (let i = 0; i < v.length; i++) check(root, s.items, v[i], `${at}/${i}`, out);
  }
  if (typeof v === 'string') {
    // Code points, as ajv counts them.
    if (s.minLength !== undefined && [...v].length < s.minLength) add('minLength', { limit: s.minLength });
    if (s.pattern !== undefined) {
      const re = patterns.get(s.pattern) ?? new RegExp(s.pattern, 'u');
      patterns.set(s.pattern, re);
      if (!re.test(v)) add('pattern', { pattern: s.pattern });
    }
    // The only format the artifact schema uses (the build step checks that).
    if (s.format !== undefined && !isDateTime(v)) add('format', { format: s.format });
  }
  if (s.minimum !== undefined && isType('number', v) && (v as number) < s.minimum) {
    add('minimum', { comparison: '>=', limit: s.minimum });
  }
  if (s.const !== undefined && v !== s.const) add('const', { allowedValue: s.const });
  if (s.enum && !s.enum.some((x) => x === v)) add('enum', { allowedValues: s.enum });
}

/**
 * A validation function over `schema` (a root with its `definitions`), used as ajv's are:
 * returns whether the value is valid and leaves the problems in its `errors` property.
 */
export function schemaValidator(schema: CheckedSchema): PrecompiledValidator {
  const validate = ((value: unknown): boolean => {
    const out: SchemaError[] = [];
    check(schema, schema, value, '', out);
    validate.errors = out.length > 0 ? out : null;
    return out.length === 0;
  }) as PrecompiledValidator;
  return validate;
}
