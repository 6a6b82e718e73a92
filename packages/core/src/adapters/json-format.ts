import type { ChatMessage } from '../lm/types.js';
import type { SignatureSpec } from '../signature/spec.js';
import { coerceValue } from './coerce.js';
import { parseError } from './errors.js';
import type { FieldKind } from './field-kind.js';
import { extractJson } from './json-extract.js';
import {
  type AdapterTemplate,
  completeTemplate,
  outputNote,
  perLayout,
  type SpecLayout,
  STRUCTURE_INTRO,
} from './layout.js';
import { buildMessages, collectOutputs } from './messages.js';
import { readCompletion } from './native-calls.js';
import { marker, plainValue, present } from './render.js';
import { layoutSchemaOf, type OutputSchema } from './strict-schema.js';
import type { FormatArgs, ParseOptions } from './types.js';

// What `JSONAdapter` formats and parses with: loaded by its first `call` on the web entry
// (`loadAdapterSupport`), at start-up on the server entry.

type Spec = SignatureSpec<object, object>;

function outputLine(fk: FieldKind, index: number, last: number): string {
  const name = fk.field.name;
  const line = `  "${name}": "{${name}}"${index < last ? ',' : ''}`;
  return `${line}${outputNote(fk)}`;
}

function buildTemplate(layout: SpecLayout): AdapterTemplate {
  const last = layout.outputs.length - 1;
  const parts = [STRUCTURE_INTRO];
  if (layout.inputs.length > 0) {
    parts.push(
      'Inputs will have the following structure:',
      ...layout.inputs.map((fk) => `${marker(fk.field.name)}\n{${fk.field.name}}`),
    );
  }
  if (layout.outputs.length > 0) {
    parts.push(
      'Outputs will be a JSON object with the following fields, in this order:',
      ['{', ...layout.outputs.map((fk, i) => outputLine(fk, i, last)), '}'].join('\n'),
    );
  }
  return completeTemplate(
    layout,
    parts.join('\n\n'),
    (name) => name,
    (order) => `Respond with a JSON object in the following order of fields: ${order}.`,
  );
}

const templateOf = perLayout(buildTemplate);

/** The outputs of a demo or history turn as the JSON object the model is asked for. */
function outputsJson(
  layout: SpecLayout,
  values: Readonly<Record<string, unknown>>,
  missing?: string,
): string {
  const obj: Record<string, unknown> = {};
  for (const fk of layout.allOutputs) {
    const name = fk.field.name;
    if (present(values, name)) obj[name] = plainValue(fk, values[name]);
    else if (missing !== undefined) obj[name] = missing;
  }
  return JSON.stringify(obj, null, 2);
}

/** The messages of a JSON-format prompt (`layout` in the adapter's tool-call mode). */
export function formatJson(layout: SpecLayout, args: FormatArgs): ChatMessage[] {
  const { system, requirements } = templateOf(layout);
  return buildMessages(layout, args, system, requirements, (values, missing) =>
    outputsJson(layout, values, missing),
  );
}

/** Reads one completion's JSON object (`adapter` names the adapter in errors). */
export function parseJson(
  adapter: string,
  spec: Spec,
  layout: SpecLayout,
  completion: string,
  options: ParseOptions,
): Record<string, unknown> {
  return readCompletion(adapter, spec, layout, completion, options.toolCalls, (lenient) => {
    const parsed = extractJson(completion, '{');
    const obj = parsed.ok ? parsed.value : undefined;
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      if (lenient) return {};
      throw parseError(adapter, spec, completion, { problem: 'no JSON object found', found: [] });
    }
    const record = obj as Record<string, unknown>;
    const found = layout.outputNames.filter((n) => Object.hasOwn(record, n));
    const read = (fk: FieldKind) => {
      const value = record[fk.field.name];
      if (value === undefined || (value === null && fk.field.optional)) return undefined;
      return coerceValue(fk, value);
    };
    return collectOutputs(adapter, spec, layout, completion, found, read, lenient);
  });
}

/** The outputs' schema for structured outputs (`layout` in the adapter's tool-call mode). */
export const jsonResponseSchema: (spec: Spec, layout: SpecLayout) => OutputSchema = layoutSchemaOf;
