import { isDspyError } from '../errors.js';
import type { ChatMessage, LanguageModel, LMRequest } from '../lm/types.js';
import { logger } from '../settings.js';
import type { SignatureSpec } from '../signature/spec.js';
import { BaseAdapter } from './base-adapter.js';
import { coerceValue } from './coerce.js';
import { ensureSpecValidators } from './ensure-validators.js';
import { parseError } from './errors.js';
import type { FieldKind } from './field-kind.js';
import { extractJson } from './json-extract.js';
import { NATIVE_ONLY_REQUIREMENTS, NATIVE_TOOLS_LINE, perLayout, type SpecLayout } from './layout.js';
import { buildMessages, collectOutputs } from './messages.js';
import { readCompletion } from './native-calls.js';
import { marker, plainValue, present } from './render.js';
import { layoutSchemaOf } from './strict-schema.js';
import type { AdapterCallArgs, AdapterCallResult, FormatArgs, ParseOptions } from './types.js';

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

function buildTemplate(layout: SpecLayout): JsonTemplate {
  const last = layout.outputs.length - 1;
  const parts = [INTRO];
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
  const order = layout.outputs
    .map((fk) => `\`${fk.field.name}\`${fk.parenthetical ? ` ${fk.parenthetical}` : ''}`)
    .join(', then ');
  const system = [layout.descriptions, parts.join('\n\n'), layout.task];
  if (layout.native) system.push(NATIVE_TOOLS_LINE);
  return {
    layout,
    system: system.join('\n'),
    requirements:
      layout.outputs.length > 0
        ? `Respond with a JSON object in the following order of fields: ${order}.`
        : NATIVE_ONLY_REQUIREMENTS,
  };
}

const templateOf = perLayout(buildTemplate);

/** A provider's 400 that rejects the structured-output request itself. */
const REJECTED_SCHEMA = /response_format|json_schema|structured output/i;

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

  /**
   * `responseFormat`: the outputs' JSON Schema when the LM has structured outputs (without the
   * `ToolCalls` output in native tool-call mode), else JSON mode; plus the native `tools`.
   */
  override requestOptions(spec: Spec, lm: LanguageModel, args?: FormatArgs): Partial<LMRequest> {
    const tools = super.requestOptions(spec, lm, args);
    if (!lm.supportsStructuredOutputs) return { ...tools, responseFormat: { type: 'json_object' } };
    const { name, schema, strict } = layoutSchemaOf(spec, this.layoutFor(spec, lm));
    return { ...tools, responseFormat: { type: 'json_schema', name, schema, strict } };
  }

  /**
   * Formats, calls the LM and parses every completion. When the provider rejects the
   * `json_schema` request with a 400 that names it, asks once more in JSON mode.
   */
  override async call(spec: Spec, args: AdapterCallArgs): Promise<AdapterCallResult> {
    const validators = ensureSpecValidators(spec);
    if (validators) await validators;
    try {
      return await super.call(spec, args);
    } catch (err) {
      const asked = args.request?.responseFormat ?? this.requestOptions(spec, args.lm, args).responseFormat;
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
    const { layout, system, requirements } = templateOf(this.layoutFor(spec, args.lm));
    return buildMessages(layout, args, system, requirements, (values, missing) =>
      outputsJson(layout, values, missing),
    );
  }

  protected parseCompletion(spec: Spec, completion: string, options: ParseOptions): Record<string, unknown> {
    const layout = this.layoutFor(spec, options.lm);
    return readCompletion(this.name, spec, layout, completion, options.toolCalls, (lenient) => {
      const parsed = extractJson(completion, '{');
      const obj = parsed.ok ? parsed.value : undefined;
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
        if (lenient) return {};
        throw parseError(this.name, spec, completion, { problem: 'no JSON object found', found: [] });
      }
      const record = obj as Record<string, unknown>;
      const found = layout.outputNames.filter((n) => Object.hasOwn(record, n));
      const read = (fk: FieldKind) => {
        const value = record[fk.field.name];
        if (value === undefined || (value === null && fk.field.optional)) return undefined;
        return coerceValue(fk, value);
      };
      return collectOutputs(this.name, spec, layout, completion, found, read, lenient);
    });
  }
}
