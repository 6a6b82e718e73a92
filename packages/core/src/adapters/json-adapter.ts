import { isDspyError } from '../errors.js';
import type { ChatMessage, LanguageModel, LMRequest } from '../lm/types.js';
import { logger } from '../settings.js';
import type { SignatureSpec } from '../signature/spec.js';
import { BaseAdapter } from './base-adapter.js';
import { ensureSpecValidators } from './ensure-validators.js';
import { lazyPiece } from './lazy-piece.js';
import type { AdapterCallArgs, AdapterCallResult, FormatArgs, ParseOptions } from './types.js';

type Spec = SignatureSpec<object, object>;

/** What `JSONAdapter` formats and parses with (`json-format.ts`). */
type JsonFormat = typeof import('./json-format.js');

const format = lazyPiece<JsonFormat>("JSONAdapter's format", () => import('./json-format.js'));

/** Installs the JSON format (the server entry does it at start-up). @internal */
export const registerJsonFormat: (loaded: JsonFormat) => void = format.register;

/** Loads the JSON format unless it is loaded already (see `loadAdapterSupport`). @internal */
export const loadJsonFormat: () => Promise<void> = format.load;

/** A provider's 400 that rejects the structured-output request itself. */
const REJECTED_SCHEMA = /response_format|json_schema|structured output/i;

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

  /** Loads the JSON format (web entry) before `format` or `parse` (see `loadAdapterSupport`). */
  load(): Promise<void> | undefined {
    return format.value ? undefined : format.load();
  }

  /**
   * `responseFormat`: the outputs' JSON Schema when the LM has structured outputs (without the
   * `ToolCalls` output in native tool-call mode), else JSON mode; plus the native `tools`.
   */
  override requestOptions(spec: Spec, lm: LanguageModel, args?: FormatArgs): Partial<LMRequest> {
    const tools = super.requestOptions(spec, lm, args);
    if (!lm.supportsStructuredOutputs) return { ...tools, responseFormat: { type: 'json_object' } };
    const layout = this.layoutFor(spec, lm);
    const { name, schema, strict } = format
      .now('JSONAdapter.requestOptions()')
      .jsonResponseSchema(spec, layout);
    return { ...tools, responseFormat: { type: 'json_schema', name, schema, strict } };
  }

  /**
   * Formats, calls the LM and parses every completion. When the provider rejects the
   * `json_schema` request with a 400 that names it, asks once more in JSON mode.
   */
  override async call(spec: Spec, args: AdapterCallArgs): Promise<AdapterCallResult> {
    const validators = ensureSpecValidators(spec);
    if (validators) await validators;
    if (!format.value) await format.load();
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
    return format.now('JSONAdapter.format()').formatJson(this.layoutFor(spec, args.lm), args);
  }

  protected parseCompletion(spec: Spec, completion: string, options: ParseOptions): Record<string, unknown> {
    return format
      .now('JSONAdapter.parse()')
      .parseJson(this.name, spec, this.layoutFor(spec, options.lm), completion, options);
  }
}
