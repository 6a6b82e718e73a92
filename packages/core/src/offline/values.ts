import type { PromptField } from './prompt/types.js';
import { textToValue } from './shared-lm.js';
import { words } from './tokens.js';

/** True for fields that hold a model's reasoning rather than an answer. */
export function isReasoningField(name: string): boolean {
  return /^(reasoning|rationale|thought|thoughts|explanation)$/i.test(name);
}

/** The main output: the first enum output, else the first output that is not reasoning. */
export function mainOutput(outputs: readonly PromptField[]): PromptField | undefined {
  return (
    outputs.find((f) => f.kind === 'enum') ?? outputs.find((f) => !isReasoningField(f.name)) ?? outputs[0]
  );
}

/** The option of an enum field equal to `text` (exactly, then ignoring case), if any. */
export function canonicalOption(field: PromptField, text: string): string | undefined {
  const t = text.trim();
  return field.options.find((o) => o === t) ?? field.options.find((o) => o.toLowerCase() === t.toLowerCase());
}

/** A value for `field` from a prompt text (a demo's output or a rule's value). */
export function valueFor(field: PromptField, text: string): unknown {
  if (field.kind === 'enum') return canonicalOption(field, text) ?? text.trim();
  if (field.kind === 'number' || field.kind === 'integer') {
    const n = Number(text.trim().replace(/,/g, ''));
    return Number.isFinite(n) ? n : 0;
  }
  if (field.kind === 'boolean') return /^true$/i.test(text.trim());
  return textToValue(text, field);
}

function isArraySchema(field: PromptField): boolean {
  return /\[\]$|^Array<|^readonly .*\[\]$/.test(field.typeText);
}

type Schema = Readonly<Record<string, unknown>>;
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The smallest value a JSON Schema accepts, as far as a default can tell (depth-limited). */
export function schemaDefault(schema: Schema, depth = 0): unknown {
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ('default' in schema) return schema.default;
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union) && isSchema(union[0])) return schemaDefault(union[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return 'x'.repeat(typeof schema.minLength === 'number' ? schema.minLength : 0);
    case 'number':
    case 'integer':
      return typeof schema.minimum === 'number' ? schema.minimum : 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const item = isSchema(schema.items) && depth < 8 ? schemaDefault(schema.items, depth + 1) : null;
      return Array.from({ length: min }, () => item);
    }
    default: {
      const out: Record<string, unknown> = {};
      const props = isSchema(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? schema.required : [];
      for (const key of required) {
        const sub = props[String(key)];
        out[String(key)] = isSchema(sub) && depth < 8 ? schemaDefault(sub, depth + 1) : null;
      }
      return out;
    }
  }
}

/**
 * The weak default of a field with no demo and no rule: first enum option, 0, false, the first
 * words of the first input (strings); for JSON fields the smallest value their schema accepts
 * (`[]`, `{}` with its required properties, ...).
 */
export function weakDefault(field: PromptField, inputs: Readonly<Record<string, string>>): unknown {
  switch (field.kind) {
    case 'enum':
      return field.options[0] ?? '';
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    case 'string': {
      const first = Object.values(inputs)[0] ?? '';
      return words(first).slice(0, 5).join(' ');
    }
    case 'json':
      if (field.schema) return schemaDefault(field.schema);
      return isArraySchema(field) ? [] : {};
  }
}
