import type { ChatMessage } from '../lm/types.js';
import type { SignatureSpec } from '../signature/spec.js';
import { ChatAdapter } from './chat-adapter.js';
import { coerceText } from './coerce.js';
import type { FieldKind } from './field-kind.js';
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
import { type BlockWriter, NOT_SUPPLIED, renderBlocks } from './render.js';
import type { ChatStreamParser } from './stream-parser.js';
import type { FormatArgs, ParseOptions } from './types.js';
import { escapeXml, unescapeXml } from './xml-escape.js';

type Spec = SignatureSpec<object, object>;

/** The XML format's block: `<name>\ntext\n</name>`, the text escaped ({@link escapeXml}). */
export const xmlBlock: BlockWriter = (name, text) => `<${name}>\n${escapeXml(text)}\n</${name}>`;

/** A placeholder block of the structure: `<name>\n{name}\n</name>` (nothing to escape). */
const templateBlock = (name: string) => `<${name}>\n{${name}}\n</${name}>`;

function placeholder(fk: FieldKind, withNote: boolean): string {
  const name = fk.field.name;
  return `${templateBlock(name)}${withNote ? outputNote(fk) : ''}`;
}

function buildTemplate(layout: SpecLayout): AdapterTemplate {
  const structure = [
    STRUCTURE_INTRO,
    ...layout.inputs.map((fk) => placeholder(fk, false)),
    ...layout.outputs.map((fk) => placeholder(fk, true)),
  ].join('\n\n');
  return completeTemplate(
    layout,
    structure,
    (name) => `<${name}>`,
    (order) =>
      `Respond with the corresponding output fields wrapped in XML tags, starting with ${order}; close every tag.`,
  );
}

const templateOf = perLayout(buildTemplate);

/**
 * The text of every wanted field's first `<name>…</name>` element in `text`, trimmed and
 * unescaped ({@link unescapeXml}). Tags of other names and text outside the elements are
 * ignored; an element without its closing tag is not read.
 */
export function readXmlFields(text: string, wanted: readonly string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (const name of wanted) {
    const open = `<${name}>`;
    const start = text.indexOf(open);
    if (start < 0) continue;
    const end = text.indexOf(`</${name}>`, start + open.length);
    if (end >= 0) fields.set(name, unescapeXml(text.slice(start + open.length, end).trim()));
  }
  return fields;
}

/**
 * Fields as XML elements, `<answer>\n42\n</answer>`, in the system message's structure, inputs,
 * demos, history and answers. Non-string values (objects, arrays, tool calls) are written as
 * JSON inside their element, not as nested tags. Values are escaped (`&amp;`, `&lt;`, `&gt;`) and
 * read back unescaped, so a value holding `<`, `&` or its own closing tag round-trips unchanged;
 * an answer written without escaping reads as it is. Coercion, validation, tool calls (native and
 * text) and the fallback (one retry through `JSONAdapter` when a completion does not parse)
 * are the chat adapter's. Streaming gives one delta per field once the completion is parsed.
 *
 * @example
 * ```ts
 * configure({ lm, adapter: new XMLAdapter() });
 * new XMLAdapter().parse(spec, '<answer>\n4\n</answer>'); // { answer: '4' }
 * ```
 */
export class XMLAdapter extends ChatAdapter {
  override readonly name: string = 'XMLAdapter';

  /** No incremental parser: the chat format's markers are not this adapter's. */
  override streamParser(): ChatStreamParser | undefined {
    return undefined;
  }

  protected override formatMessages(spec: Spec, args: FormatArgs): ChatMessage[] {
    const { layout, system, requirements } = templateOf(this.layoutFor(spec, args.lm));
    const assistant = (values: Readonly<Record<string, unknown>>, missing?: string) =>
      renderBlocks(layout.allOutputs, values, missing, xmlBlock).join('\n\n');
    return buildMessages(layout, args, system, requirements, assistant, xmlBlock);
  }

  protected override parseCompletion(
    spec: Spec,
    completion: string,
    options: ParseOptions,
  ): Record<string, unknown> {
    const layout = this.layoutFor(spec, options.lm);
    return readCompletion(this.name, spec, layout, completion, options.toolCalls, (lenient) => {
      const fields = readXmlFields(completion, layout.outputNames);
      const read = (fk: FieldKind) => {
        const text = fields.get(fk.field.name);
        if (text === undefined || (fk.field.optional && (text === '' || text === NOT_SUPPLIED)))
          return undefined;
        return coerceText(fk, text);
      };
      return collectOutputs(this.name, spec, layout, completion, [...fields.keys()], read, lenient);
    });
  }
}
