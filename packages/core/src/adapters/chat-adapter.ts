import { DspyError, isDspyError } from '../errors.js';
import type { ChatMessage } from '../lm/types.js';
import { logger } from '../settings.js';
import type { SignatureSpec } from '../signature/spec.js';
import { type AdapterOptions, BaseAdapter } from './base-adapter.js';
import { coerceText } from './coerce.js';
import { ensureSpecValidators } from './ensure-validators.js';
import type { FieldKind } from './field-kind.js';
import { JSONAdapter } from './json-adapter.js';
import { withJsonRepair } from './json-extract.js';
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
import { marker, NOT_SUPPLIED, renderBlocks } from './render.js';
import { readSections } from './sections.js';
import { ChatStreamParser } from './stream-parser.js';
import type { Adapter, AdapterCallArgs, AdapterCallResult, FormatArgs, ParseOptions } from './types.js';

type Spec = SignatureSpec<object, object>;

/** Options of {@link ChatAdapter}. */
export interface ChatAdapterOptions extends AdapterOptions {
  /**
   * What to do when a completion does not parse: `true` (default) retries once through a
   * `JSONAdapter` (with the same `nativeToolCalls`), `false` throws, or give the adapter to retry with.
   */
  readonly fallback?: boolean | Adapter;
}

const COMPLETED = marker('completed');

/** `[[ ## name ## ]]\n{name}`; outputs that are not plain strings add their note. */
function placeholder(fk: FieldKind, withNote: boolean): string {
  const name = fk.field.name;
  return `${marker(name)}\n{${name}}${withNote ? outputNote(fk) : ''}`;
}

function buildTemplate(layout: SpecLayout): AdapterTemplate {
  const structure = [
    STRUCTURE_INTRO,
    ...layout.inputs.map((fk) => placeholder(fk, false)),
    ...layout.outputs.map((fk) => placeholder(fk, true)),
    COMPLETED,
  ].join('\n\n');
  return completeTemplate(
    layout,
    structure,
    (name) => marker(name),
    (order) =>
      `Respond with the corresponding output fields, starting with the field ${order}, and then ending with the marker for \`${COMPLETED}\`.`,
  );
}

const templateOf = perLayout(buildTemplate);

/**
 * The default adapter: DSPy's `[[ ## field ## ]]` chat format (see CHAT_FORMAT.md), with one
 * retry through `JSONAdapter` when a completion does not parse.
 *
 * @example
 * ```ts
 * const adapter = new ChatAdapter();
 * const messages = adapter.format(spec, { inputs: { question: 'What is 2 + 2?' } });
 * const outputs = adapter.parse(spec, '[[ ## answer ## ]]\n4\n\n[[ ## completed ## ]]');
 * ```
 */
export class ChatAdapter extends BaseAdapter {
  readonly name: string = 'ChatAdapter';
  /** The adapter of the one retry after a parse failure (`undefined` when turned off). */
  readonly fallback: Adapter | undefined;

  constructor(options: ChatAdapterOptions = {}) {
    super(options);
    const fb = options.fallback ?? true;
    // The default fallback sends tools and reads calls the same way as this adapter.
    const json = () => new JSONAdapter({ nativeToolCalls: this.nativeToolCalls });
    this.fallback = fb === true ? json() : fb === false ? undefined : fb;
  }

  /** The incremental parser `streamPredict` feeds the completion's chunks to (one per call). */
  streamParser(spec: Spec): ChatStreamParser | undefined {
    return new ChatStreamParser(spec);
  }

  protected formatMessages(spec: Spec, args: FormatArgs): ChatMessage[] {
    const { layout, system, requirements } = templateOf(this.layoutFor(spec, args.lm));
    return buildMessages(layout, args, system, requirements, (values, missing) => {
      const blocks = renderBlocks(layout.allOutputs, values, missing);
      blocks.push(COMPLETED);
      return blocks.join('\n\n');
    });
  }

  protected parseCompletion(spec: Spec, completion: string, options: ParseOptions): Record<string, unknown> {
    const layout = this.layoutFor(spec, options.lm);
    return readCompletion(this.name, spec, layout, completion, options.toolCalls, (lenient) => {
      const sections = readSections(completion, layout.outputByName, layout.inputNames);
      const found = [...sections.keys()];
      const read = (fk: FieldKind) => {
        const text = sections.get(fk.field.name);
        if (text === undefined || (fk.field.optional && (text === '' || text === NOT_SUPPLIED)))
          return undefined;
        return coerceText(fk, text);
      };
      return collectOutputs(this.name, spec, layout, completion, found, read, lenient);
    });
  }

  /**
   * Formats, calls the LM and parses every completion. When a completion does not parse, makes
   * one retry through the fallback adapter; LM transport errors are never retried here.
   */
  override async call(spec: Spec, args: AdapterCallArgs): Promise<AdapterCallResult> {
    const validators = ensureSpecValidators(spec);
    if (validators) await validators;
    const { messages, response } = await this.ask(spec, args);
    try {
      return await withJsonRepair(() => this.finish(spec, messages, response, args.lm));
    } catch (first) {
      if (!this.fallback || !isDspyError(first, 'ADAPTER_PARSE', 'LM_EMPTY')) throw first;
      logger().debug(`${this.name}: ${first.message.split('\n')[0]} Retrying with ${this.fallback.name}.`);
      try {
        const second = await this.fallback.call(spec, args);
        return { ...second, responses: [response, ...(second.responses ?? [second.response])] };
      } catch (err) {
        if (!isDspyError(err, 'ADAPTER_PARSE', 'LM_EMPTY')) throw err;
        const firstLine = first.message.split('\n')[0] ?? '';
        throw new DspyError(err.code, `${err.message}\n  Before that: ${firstLine}`, {
          cause: err,
          details: { ...err.details, firstAttempt: { ...first.details, message: first.message } },
        });
      }
    }
  }
}
