import { isDspyError } from '../errors.js';
import type { ChatMessage, LanguageModel, LMRequest } from '../lm/types.js';
import { logger } from '../settings.js';
import type { SignatureSpec } from '../signature/spec.js';
import { BaseAdapter } from './base-adapter.js';
import { coerceValue } from './coerce.js';
import { emptyCompletionError, parseError } from './errors.js';
import type { FieldKind } from './field-kind.js';
import { extractJson } from './json-extract.js';
import { layoutOf, type SpecLayout } from './layout.js';
import { buildMessages, collectOutputs } from './messages.js';
import { marker, present } from './render.js';
import { outputSchemaOf } from './strict-schema.js';
import type { AdapterCallArgs, AdapterCallResult, FormatArgs } from './types.js';

type Spec = SignatureSpec<object, object>;

const INTRO =
  'All interactions will be structured in the following way, with the appropriate values filled in.';
const NOTE_GAP = '        ';

interface JsonTemplate {
  readonly layout: SpecLayout;
  readonly system: string;
  readonly requirements: string;
}

function outputLine(fk: FieldKind, index: number, last: number): string {
  const name = fk.field.name;
  const line = `  "${name}": "{${name}}"${index < last ? ',' : ''}`;
  return fk.note ? `${line}${NOTE_GAP}# note: the value you produce ${fk.note}` : line;
}

function buildTemplate(spec: Spec): JsonTemplate {
  const layout = layoutOf(spec);
  const last = layout.outputs.length - 1;
  const parts = [INTRO];
  if (layout.inputs.length > 0) {
    parts.push(
      'Inputs will have the following structure:',
      ...layout.inputs.map((fk) => `${marker(fk.field.name)}\n{${fk.field.name}}`),
    );
  }
  parts.push(
    'Outputs will be a JSON object with the following fields, in this order:',
    ['{', ...layout.outputs.map((fk, i) => outputLine(fk, i, last)), '}'].join('\n'),
  );
  const order = layout.outputs
    .map((fk) => `\`${fk.field.name}\`${fk.parenthetical ? ` ${fk.parenthetical}` : ''}`)
    .join(', then ');
  return {
    layout,
    system: [layout.descriptions, parts.join('\n\n'), layout.task].join('\n'),
    requirements: `Respond with a JSON object in the following order of fields: ${order}.`,
  };
}

const templates = new WeakMap<Spec, JsonTemplate>();

function templateOf(spec: Spec): JsonTemplate {
  let t = templates.get(spec);
  if (!t) {
    t = buildTemplate(spec);
    templates.set(spec, t);
  }
  return t;
}

/** A provider's 400 that rejects the structured-output request itself. */
const REJECTED_SCHEMA = /response_format|json_schema|structured output/i;

/** The outputs of a demo or history turn as the JSON object the model is asked for. */
function outputsJson(
  layout: SpecLayout,
  values: Readonly<Record<string, unknown>>,
  missing?: string,
): string {
  const obj: Record<string, unknown> = {};
  for (const fk of layout.outputs) {
    const name = fk.field.name;
    if (present(values, name)) obj[name] = values[name];
    else if (missing !== undefined) obj[name] = missing;
  }
  return JSON.stringify(obj, null, 2);
}

/**
 * Asks for the outputs as one JSON object: native structured outputs (`json_schema`, strict)
 * when the LM supports them, JSON mode otherwise. Also the chat adapter's fallback.
 *
 * @example
 * ```ts
 * configure({ lm, adapter: new JSONAdapter() });
 * ```
 */
export class JSONAdapter extends BaseAdapter {
  readonly name: string = 'JSONAdapter';

  /** `responseFormat`: the outputs' JSON Schema when the LM has structured outputs, else JSON mode. */
  override requestOptions(spec: Spec, lm: LanguageModel): Partial<LMRequest> {
    if (!lm.supportsStructuredOutputs) return { responseFormat: { type: 'json_object' } };
    const { name, schema, strict } = outputSchemaOf(spec);
    return { responseFormat: { type: 'json_schema', name, schema, strict } };
  }

  /**
   * Formats, calls the LM and parses every completion. When the provider rejects the
   * `json_schema` request with a 400 that names it, asks once more in JSON mode.
   */
  override async call(spec: Spec, args: AdapterCallArgs): Promise<AdapterCallResult> {
    try {
      return await super.call(spec, args);
    } catch (err) {
      const asked = args.request?.responseFormat ?? this.requestOptions(spec, args.lm).responseFormat;
      if (
        asked?.type !== 'json_schema' ||
        !isDspyError(err, 'LM_BAD_REQUEST') ||
        !REJECTED_SCHEMA.test(err.message)
      ) {
        throw err;
      }
      logger().warn(`${args.lm.model} rejected structured outputs; retrying in JSON mode.`);
      const request = { ...args.request, responseFormat: { type: 'json_object' as const } };
      return super.call(spec, { ...args, request });
    }
  }

  protected formatMessages(spec: Spec, args: FormatArgs): ChatMessage[] {
    const { layout, system, requirements } = templateOf(spec);
    return buildMessages(layout, args, system, requirements, (values, missing) =>
      outputsJson(layout, values, missing),
    );
  }

  protected parseCompletion(spec: Spec, completion: string): Record<string, unknown> {
    if (completion.trim() === '') throw emptyCompletionError(this.name, spec);
    const layout = layoutOf(spec);
    const parsed = extractJson(completion, '{');
    const obj = parsed.ok ? parsed.value : undefined;
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      throw parseError(this.name, spec, completion, { problem: 'no JSON object found', found: [] });
    }
    const record = obj as Record<string, unknown>;
    const found = layout.outputNames.filter((n) => Object.hasOwn(record, n));
    return collectOutputs(this.name, spec, layout, completion, found, (fk) => {
      const value = record[fk.field.name];
      if (value === undefined || (value === null && fk.field.optional)) return undefined;
      return coerceValue(fk, value);
    });
  }
}
