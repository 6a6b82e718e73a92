import { NOT_SUPPLIED } from '../../adapters/render.js';
import { unescapeXml } from '../../adapters/xml-escape.js';
import type { ChatMessage, LMRequest } from '../../lm/types.js';
import type { JsonSchema } from '../../signature/spec.js';
import { BoundedCache } from '../bounded-cache.js';
import type {
  FieldTexts,
  ParsedDemo,
  ParsedPrompt,
  ParsedSystem,
  PromptField,
  PromptFieldKind,
} from './types.js';

const OBJECTIVE = 'In adhering to this structure, your objective is:';
const MARKER = /^\[\[ ## ([^\]#]+?) ## \]\]/;
const NOTE = /#\s*note:\s*the value you produce (.*)$/;

/** Reads `N. \`name\` (TYPE): DESC` lines; TYPE may hold balanced parentheses. */
function parseFieldLine(line: string): Omit<PromptField, 'kind' | 'options'> | undefined {
  const m = /^\d+\.\s+`([^`]+)`\s*\(/.exec(line);
  if (!m) return undefined;
  let depth = 1;
  let i = m[0].length;
  for (; i < line.length && depth > 0; i++) {
    if (line[i] === '(') depth++;
    else if (line[i] === ')') depth--;
  }
  const typeText = line.slice(m[0].length, i - 1).trim();
  const rest = line.slice(i);
  const description = rest.startsWith(':') ? rest.slice(1).trim() : undefined;
  return description ? { name: m[1]!, typeText, description } : { name: m[1]!, typeText };
}

function kindFromType(typeText: string): { kind: PromptFieldKind; options: string[] } {
  const t = typeText.trim();
  if (t === 'string' || t === 'number' || t === 'boolean') return { kind: t, options: [] };
  // Reasoning is text; Code is its source text (a fenced block the adapters read back).
  if (t === 'Reasoning' || /^Code(?:$|[<[])/.test(t)) return { kind: 'string', options: [] };
  if (t === 'integer') return { kind: 'integer', options: [] };
  const parts = t.split('|').map((p) => p.trim());
  if (parts.every((p) => /^(['"]).*\1$/.test(p)))
    return { kind: 'enum', options: parts.map((p) => p.slice(1, -1)) };
  return { kind: 'json', options: [] };
}

function kindFromNote(
  note: string,
): { kind: PromptFieldKind; options: string[]; schema?: JsonSchema } | undefined {
  if (note.startsWith('must be a single number')) return { kind: 'number', options: [] };
  if (note.startsWith('must be a single integer')) return { kind: 'integer', options: [] };
  if (note.startsWith('must be true or false')) return { kind: 'boolean', options: [] };
  const one = /one of: (.*)$/.exec(note);
  if (one) return { kind: 'enum', options: one[1]!.split('; ').map((s) => s.trim()) };
  const js = /JSON schema: (.*)$/.exec(note);
  if (js) {
    try {
      return { kind: 'json', options: [], schema: JSON.parse(js[1]!) as JsonSchema };
    } catch {
      return { kind: 'json', options: [] };
    }
  }
  return undefined;
}

/** Notes found in the structure block, by field name (`{name}   # note: ...`, `"name": ... # note: ...` or `</name>   # note: ...`). */
function notesByField(lines: readonly string[]): Map<string, string> {
  const notes = new Map<string, string>();
  for (const line of lines) {
    const note = NOTE.exec(line);
    if (!note) continue;
    const name =
      /\{([A-Za-z_$][\w$]*)\}/.exec(line) ?? /"([A-Za-z_$][\w$]*)"\s*:/.exec(line) ?? /^<\/(\w+)>/.exec(line);
    if (name) notes.set(name[1]!, note[1]!.trim());
  }
  return notes;
}

/** The headings of a natural (two-step) system message's field lists. */
const PROSE_INPUTS = 'You will be given:';
const PROSE_OUTPUTS = 'Your answer must make clear:';
/** A natural prompt's field line: `- name (type): description`. */
const PROSE_FIELD = /^-\s+([A-Za-z_$][\w$]*)\s+\((.*)\)(?::\s*(.*))?$/;
/** The request that ends a natural prompt's final user message. */
const PROSE_REQUEST = '\n\nAnswer the task; make sure your answer gives:';

/** True for a natural system message: it lists the outputs in prose, without field markers. */
export function isProseSystem(content: string): boolean {
  return content.split('\n').some((line) => line === PROSE_OUTPUTS);
}

/**
 * Parses a natural system message (`TwoStepAdapter`'s first call): the instructions, then
 * `You will be given:` and `Your answer must make clear:` lists of `- name (type): description`.
 * The type gives each field's kind, as in the other prompts.
 */
function parseProseSystem(content: string): ParsedSystem {
  const inputs: PromptField[] = [];
  const outputs: PromptField[] = [];
  const instructions: string[] = [];
  let section: 'task' | 'in' | 'out' | 'after' = 'task';
  for (const line of content.split('\n')) {
    if (line === PROSE_INPUTS) section = 'in';
    else if (line === PROSE_OUTPUTS) section = 'out';
    else if (section === 'task') {
      if (line.trim()) instructions.push(line.trim());
    } else if (section === 'in' || section === 'out') {
      const m = PROSE_FIELD.exec(line);
      if (!m) {
        if (line.trim() === '') section = section === 'out' ? 'after' : section;
        continue;
      }
      const typeText = m[2]!.trim();
      const field = { name: m[1]!, typeText, ...(m[3] ? { description: m[3].trim() } : {}) };
      (section === 'in' ? inputs : outputs).push({ ...field, ...kindFromType(typeText) });
    }
  }
  return { inputs, outputs, instructions, json: false, xml: false, prose: true };
}

/** Removes a natural prompt's closing request (`Answer the task; make sure ...`). */
export function stripProseRequest(content: string): string {
  const at = content.lastIndexOf(PROSE_REQUEST);
  return at >= 0 ? content.slice(0, at) : content;
}

/**
 * The `name: value` fields of a natural message for the given names: a line starting with
 * `name:` opens a field (its value the rest of the line and the lines below, up to the next such
 * line), text before the first is ignored. Values are trimmed; a field shown twice keeps its first.
 *
 * @example
 * ```ts
 * readLabelled('Sure.\nanswer: Paris\n\nconfident: true', ['answer', 'confident']);
 * // { answer: 'Paris', confident: 'true' }
 * ```
 */
export function readLabelled(content: string, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (names.length === 0) return out;
  const escaped = names.map((n) => n.replace(/[$]/g, '\\$&'));
  const label = new RegExp(`^(${escaped.join('|')}):(?:[^\\S\\n]|$)`);
  let current: string | undefined;
  let buf: string[] = [];
  const flush = () => {
    if (current !== undefined && !(current in out)) out[current] = buf.join('\n').trim();
  };
  for (const line of content.split('\n')) {
    const m = label.exec(line);
    if (m) {
      flush();
      current = m[1]!;
      buf = [line.slice(m[0].length)];
    } else if (current !== undefined) buf.push(line);
  }
  flush();
  return out;
}

/** Parses a ChatAdapter, JSONAdapter, XMLAdapter or natural (two-step) system message (pure; cached by content in {@link parsePrompt}). */
export function parseSystem(content: string): ParsedSystem {
  if (isProseSystem(content)) return parseProseSystem(content);
  const lines = content.split('\n');
  const inputs: Omit<PromptField, 'kind' | 'options'>[] = [];
  const outputs: Omit<PromptField, 'kind' | 'options'>[] = [];
  let section: 'none' | 'in' | 'out' | 'structure' | 'objective' = 'none';
  const structure: string[] = [];
  const instructions: string[] = [];
  for (const line of lines) {
    if (line.startsWith('Your input fields are:')) section = 'in';
    else if (line.startsWith('Your output fields are:')) section = 'out';
    else if (line.startsWith(OBJECTIVE)) section = 'objective';
    else if (section === 'in' || section === 'out') {
      const f = parseFieldLine(line);
      if (f) (section === 'in' ? inputs : outputs).push(f);
      else if (
        line.startsWith('All interactions') ||
        line.startsWith('[[ ##') ||
        /^<\w+>$/.test(line) ||
        line.trim() === ''
      ) {
        section = 'structure';
      } // else: a description's continuation line
    }
    if (section === 'structure') structure.push(line);
    else if (section === 'objective' && !line.startsWith(OBJECTIVE) && line.trim())
      instructions.push(line.trim());
  }
  const notes = notesByField(structure);
  const finish = (f: Omit<PromptField, 'kind' | 'options'>): PromptField => {
    const note = notes.get(f.name);
    const k = (note && kindFromNote(note)) || kindFromType(f.typeText);
    return { ...f, ...k };
  };
  const outs = outputs.map(finish);
  const structureText = structure.join('\n');
  const first = outs[0]?.name;
  const xml = first !== undefined && structureText.includes(`<${first}>\n{${first}}\n</${first}>`);
  const json =
    first !== undefined &&
    !xml &&
    !structureText.includes(`[[ ## ${first} ## ]]`) &&
    /JSON/.test(structureText);
  return { inputs: inputs.map(finish), outputs: outs, instructions, json, xml };
}

/** An XML adapter's field element: `<name>` … `</name>` (group 1 the name, group 2 the text). */
const ELEMENT = /<(\w+)>([\s\S]*?)<\/\1>/g;

/** A message's `<name>…</name>` elements, first of each name, trimmed. */
function parseElements(content: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of content.matchAll(ELEMENT)) if (!(m[1]! in out)) out[m[1]!] = unescapeXml(m[2]!.trim());
  return out;
}

/**
 * Splits a message into its `[[ ## name ## ]]` blocks (text before the first marker is
 * ignored); a message without markers, into its `<name>…</name>` elements (unescaped).
 */
export function parseBlocks(content: string): Record<string, string> {
  const blocks = parseMarkerBlocks(content);
  return Object.keys(blocks).length > 0 || !content.includes('</') ? blocks : parseElements(content);
}

function parseMarkerBlocks(content: string): Record<string, string> {
  const out: Record<string, string> = {};
  let current: string | undefined;
  let buf: string[] = [];
  const flush = () => {
    if (current !== undefined && current !== 'completed' && !(current in out))
      out[current] = buf.join('\n').trim();
  };
  for (const line of content.split('\n')) {
    const m = MARKER.exec(line.trim());
    if (m) {
      flush();
      current = m[1]!.trim();
      buf = [line.trim().slice(m[0].length)];
    } else if (current !== undefined) buf.push(line);
  }
  flush();
  return out;
}

/** Removes the final user message's closing request (`Respond with ...`). */
export function stripRespond(content: string): string {
  const at = content.lastIndexOf('\nRespond with ');
  return at >= 0 ? content.slice(0, at) : content;
}

function withoutMissing(texts: Record<string, string>): FieldTexts {
  for (const [k, v] of Object.entries(texts)) if (v === NOT_SUPPLIED) delete texts[k];
  return texts;
}

/** Reads an assistant turn: marker blocks, else a JSON object (values as the text a prompt would show). */
export function parseAnswer(content: string): FieldTexts {
  const blocks = parseBlocks(content);
  if (Object.keys(blocks).length > 0) return withoutMissing(blocks);
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) return {};
  try {
    const obj = JSON.parse(content.slice(start, end + 1)) as Record<string, unknown>;
    const texts: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj)) texts[k] = typeof v === 'string' ? v : JSON.stringify(v);
    return withoutMissing(texts);
  } catch {
    return {};
  }
}

const systems = new BoundedCache<ParsedSystem>(1024);
const demoPairs = new BoundedCache<ParsedDemo>(8192);
const EMPTY_SYSTEM: ParsedSystem = { inputs: [], outputs: [], instructions: [], json: false, xml: false };

/** The parsed system message, cached by its content. */
export function cachedSystem(content: string | undefined): ParsedSystem {
  return content === undefined ? EMPTY_SYSTEM : systems.get(content, () => parseSystem(content));
}

function parseDemo(user: string, assistant: string): ParsedDemo {
  return demoPairs.get(`${user}\u0000${assistant}`, () => ({
    inputs: withoutMissing(parseBlocks(user)),
    outputs: parseAnswer(assistant),
  }));
}

/**
 * A natural prompt read back: each user/assistant pair before the final user message is a demo
 * (inputs and outputs as `name: value` fields), and the final user message gives the inputs.
 */
function parseProsePrompt(
  messages: readonly ChatMessage[],
  system: ParsedSystem,
  json: boolean,
  prose: boolean,
): ParsedPrompt {
  const inNames = system.inputs.map((f) => f.name);
  const outNames = system.outputs.map((f) => f.name);
  const start = messages[0]?.role === 'system' ? 1 : 0;
  let final = -1;
  for (let i = messages.length - 1; i >= start; i--) {
    if (messages[i]!.role === 'user') {
      final = i;
      break;
    }
  }
  const demos: ParsedDemo[] = [];
  for (let i = start; i + 1 < final; i += 2) {
    const u = messages[i]!;
    const a = messages[i + 1]!;
    if (u.role !== 'user' || a.role !== 'assistant') continue;
    demos.push({
      inputs: withoutMissing(readLabelled(u.content, inNames)),
      outputs: withoutMissing(readLabelled(a.content, outNames)),
    });
  }
  const last = final >= 0 ? messages[final] : undefined;
  const inputs = last ? readLabelled(stripProseRequest(last.content), inNames) : {};
  return { system, demos, inputs, json, xml: false, prose };
}

/** The marker that opens a user message carrying an agent's tool results (text tool calls). */
export const TOOL_RESULTS_MARKER = '[[ ## tool_results ## ]]';

/**
 * The index of the final user message: the last user message that is not a tool-results
 * message. What follows it is an agent's live trajectory (assistant tool calls, tool results);
 * what precedes it, demos. -1 when there is none.
 */
export function finalUserIndex(messages: readonly ChatMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'user' && !m.content.trimStart().startsWith(TOOL_RESULTS_MARKER)) return i;
  }
  return -1;
}

/**
 * What rendering an answer to a prompt needs: its parsed system message, and whether the answer
 * should be a JSON object (a JSON prompt or a JSON `responseFormat`). Cheaper than
 * {@link parsePrompt}, which also reads the demos and final inputs.
 */
export function promptShape(
  messages: readonly ChatMessage[],
  request?: Pick<LMRequest, 'responseFormat'>,
): Pick<ParsedPrompt, 'system' | 'json' | 'xml' | 'prose'> {
  const first = messages[0];
  const system = cachedSystem(first?.role === 'system' ? first.content : undefined);
  const rf = request?.responseFormat?.type;
  const json = system.json || rf === 'json_object' || rf === 'json_schema';
  return { system, json, xml: system.xml && !json, prose: !!system.prose && !json };
}

/**
 * Reads an adapter prompt back into fields, instructions, demos and final inputs. Every
 * user/assistant pair before the final user message is a demo, earlier `History` turns included:
 * the prompt renders both alike, and an answered turn is as good an example as a demo. An
 * agent's live trajectory after the final user message is not a demo (see `readAgentPrompt`).
 *
 * @example
 * ```ts
 * const p = parsePrompt(new ChatAdapter().format(spec, { inputs: { question: 'Why?' } }));
 * p.system.outputs.map((f) => f.name); // ['answer']
 * ```
 */
export function parsePrompt(
  messages: readonly ChatMessage[],
  request?: Pick<LMRequest, 'responseFormat'>,
): ParsedPrompt {
  const { system, json, xml, prose } = promptShape(messages, request);
  if (system.prose) return parseProsePrompt(messages, system, json, !!prose);
  const final = finalUserIndex(messages);
  const start = messages[0]?.role === 'system' ? 1 : 0;
  const demos: ParsedDemo[] = [];
  for (let i = start; i + 1 < final; i += 2) {
    const u = messages[i]!;
    const a = messages[i + 1]!;
    if (u.role !== 'user' || a.role !== 'assistant') continue;
    demos.push(parseDemo(u.content, a.content));
  }
  const last = final >= start ? messages[final] : undefined;
  const inputs = last ? parseBlocks(stripRespond(last.content)) : {};
  return { system, demos, inputs, json, xml };
}
