import type { FieldSpec, JsonSchema } from '../signature/spec.js';

/** The marker keyword adapters read on the schema of a `Tool[]` input or a `ToolCalls` output. */
const TYPE_KEY = 'x-dspy-type';

/**
 * The JSON Schema of a `Tool[]` input field, as the build step and the string parser write it.
 * Adapters send the tools as the request's `tools` (native tool calls) or render their
 * definitions as text.
 */
export const TOOLS_SCHEMA: JsonSchema = Object.freeze({
  type: 'array',
  [TYPE_KEY]: 'Tool[]',
  items: { type: 'object' },
});

/**
 * The JSON Schema of a `ToolCalls` output field: `{ calls: [{ id?, name, args }] }`. Adapters fill
 * it from the response's native tool calls, or parse it from text.
 */
export const TOOL_CALLS_SCHEMA: JsonSchema = Object.freeze({
  type: 'object',
  [TYPE_KEY]: 'ToolCalls',
  properties: {
    calls: {
      type: 'array',
      items: {
        type: 'object',
        properties: { id: { type: 'string' }, name: { type: 'string' }, args: { type: 'object' } },
        required: ['name', 'args'],
      },
    },
  },
  required: ['calls'],
});

/** True when a field is a `Tool[]` input (its schema carries the marker). */
export function isToolsField(field: Pick<FieldSpec, 'schema'>): boolean {
  return field.schema[TYPE_KEY] === 'Tool[]';
}

/** True when a field is a `ToolCalls` output (its schema carries the marker). */
export function isToolCallsField(field: Pick<FieldSpec, 'schema'>): boolean {
  return field.schema[TYPE_KEY] === 'ToolCalls';
}
