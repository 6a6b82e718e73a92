import { codeLanguageOf, isCodeType, isReasoningType } from '../signature/code-reasoning.js';
import type { FieldSpec, JsonSchema, JsonValue } from '../signature/spec.js';
import { isToolCallsField, isToolsField } from '../tools/field-types.js';

/**
 * How a field's value is written in prompts and read back from completions. `tools` is a
 * `Tool[]` input (rendered as the tools' definitions), `toolCalls` a `ToolCalls` output (a JSON
 * list of `{ name, args }`), `code` a `Code` field (a fenced block of source code), `reasoning` a
 * `Reasoning` output (text, or the model's own reasoning when the response carries it).
 */
export type FieldKindName =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'enum'
  | 'json'
  | 'tools'
  | 'toolCalls'
  | 'code'
  | 'reasoning';

/** The note of a `ToolCalls` output in the structure block (after `the value you produce`). */
export const TOOL_CALLS_NOTE =
  'must be a JSON list of tool calls, each {"name": "<tool name>", "args": {<arguments>}}, or [] to call no tool';

/** A field with everything the adapters precompute about it. */
export interface FieldKind {
  readonly field: FieldSpec;
  readonly kind: FieldKindName;
  /** The allowed values of an `enum` field. */
  readonly options: readonly JsonValue[];
  /** True when the schema has keywords beyond its type that ajv must check. */
  readonly constrained: boolean;
  /** What follows `must` in the structure block's note; empty for plain strings. */
  readonly note: string;
  /** The final message's parenthetical after the field marker; empty for strings. */
  readonly parenthetical: string;
}

const ANNOTATIONS = new Set([
  'type',
  'description',
  'title',
  'examples',
  'default',
  '$comment',
  'deprecated',
]);

function literalOptions(schema: JsonSchema): JsonValue[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  if ('const' in schema && schema.const !== undefined) return [schema.const];
  const union = schema.anyOf ?? schema.oneOf;
  if (!Array.isArray(union) || union.length === 0) return undefined;
  const all: JsonValue[] = [];
  for (const member of union) {
    if (!member || typeof member !== 'object' || Array.isArray(member)) return undefined;
    const values = literalOptions(member as JsonSchema);
    if (!values) return undefined;
    all.push(...values);
  }
  return all;
}

/** An enum value as it appears in prompts: strings bare, anything else as JSON. */
export function optionText(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function kindName(field: FieldSpec): { kind: FieldKindName; options: JsonValue[] } {
  if (isToolsField(field)) return { kind: 'tools', options: [] };
  if (isToolCallsField(field)) return { kind: 'toolCalls', options: [] };
  if (isCodeType(field)) return { kind: 'code', options: [] };
  if (isReasoningType(field)) return { kind: 'reasoning', options: [] };
  const schema = field.schema;
  const options = literalOptions(schema);
  if (options) return { kind: 'enum', options };
  switch (schema.type) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
      return { kind: schema.type, options: [] };
    default:
      return { kind: 'json', options: [] };
  }
}

/** Classifies a field by its JSON Schema (cached per field object). */
export function fieldKind(field: FieldSpec): FieldKind {
  const hit = cache.get(field);
  if (hit) return hit;
  const { kind, options } = kindName(field);
  const list = options.map(optionText).join('; ');
  const notes: Record<FieldKindName, [string, string]> = {
    string: ['', ''],
    number: ['must be a single number', '(must be formatted as a valid number)'],
    integer: ['must be a single integer', '(must be formatted as a valid integer)'],
    boolean: ['must be true or false', '(must be formatted as true or false)'],
    enum: [`must exactly match (no extra characters) one of: ${list}`, `(must be one of: ${list})`],
    json: [
      `must adhere to the JSON schema: ${JSON.stringify(field.schema)}`,
      '(must be formatted as valid JSON)',
    ],
    tools: ['', ''],
    toolCalls: [TOOL_CALLS_NOTE, '(must be formatted as valid JSON)'],
    code: codeNotes(codeLanguageOf(field)),
    reasoning: ['', ''],
  };
  const [note, parenthetical] = notes[kind];
  const constrained =
    kind === 'json' ||
    (kind !== 'enum' &&
      kind !== 'tools' &&
      kind !== 'toolCalls' &&
      kind !== 'code' &&
      Object.keys(field.schema).some((k) => !ANNOTATIONS.has(k)));
  const result: FieldKind = Object.freeze({ field, kind, options, constrained, note, parenthetical });
  cache.set(field, result);
  return result;
}

/** The note and parenthetical of a `Code` output: the language, and the fenced block to write it in. */
function codeNotes(language: string | undefined): [string, string] {
  const lang = language ?? '';
  const what = language ? `${language} source code` : 'source code';
  return [
    `must be ${what}, written in a fenced code block (\`\`\`${lang} ... \`\`\`)`,
    `(must be ${what} in a fenced code block)`,
  ];
}

const cache = new WeakMap<FieldSpec, FieldKind>();
