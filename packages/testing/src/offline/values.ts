import type { PromptField } from '../prompt/types.js';
import { textToValue } from '../shared-lm.js';
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
  const t = field.schema?.type;
  return (
    t === 'array' ||
    (Array.isArray(t) && t.includes('array')) ||
    /\[\]$|^Array<|^readonly .*\[\]$/.test(field.typeText)
  );
}

/**
 * The weak default of a field with no demo and no rule: first enum option, 0, false, the first
 * words of the first input (strings), `[]` or `{}`.
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
      return isArraySchema(field) ? [] : {};
  }
}
