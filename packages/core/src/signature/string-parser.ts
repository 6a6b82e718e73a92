import { DspyError } from '../errors.js';
import { isMediaTypeName, MEDIA_SCHEMAS, mediaInSchema } from '../media/field-types.js';
import { TOOL_CALLS_SCHEMA, TOOLS_SCHEMA } from '../tools/field-types.js';
import { codeSchema, LANGUAGE_NAME, REASONING_SCHEMA } from './code-reasoning.js';
import { HISTORY_SCHEMA } from './history.js';
import type { FieldSpec, JsonSchema, JsonValue } from './spec.js';

/**
 * The run-time parser of string signatures:
 * `'question: string, context: string[] -> answer: string, score?: number'`.
 * Types: string, number, integer, boolean (and DSPy's str, int, float, bool), `T[]`,
 * `Array<T>`, `list[T]`, literals and literal unions (`'a' | 'b'`), `History` for an input of
 * earlier turns, `Tool[]` for an input of tools and `ToolCalls` for an output of tool calls
 * (at most one), `Image`, `Audio` and `File` for media inputs (also in arrays: `Image[]`),
 * `Code` / `Code[python]` for source code and `Reasoning` for an output of the model's reasoning;
 * `name?` is optional; a name without a type is a string.
 */

/** The fields of a parsed string signature. */
export interface ParsedSignature {
  readonly inputs: FieldSpec[];
  readonly outputs: FieldSpec[];
}

interface Piece {
  readonly text: string;
  /** 0-based offset of `text` in the whole signature string. */
  readonly at: number;
}

interface ParsedType {
  readonly schema: JsonSchema;
  readonly typeText: string;
  /** Set for a literal type: its value. */
  readonly literal?: string | number | boolean;
}

const PRIMITIVES: Readonly<Record<string, ParsedType>> = {
  string: { schema: { type: 'string' }, typeText: 'string' },
  str: { schema: { type: 'string' }, typeText: 'string' },
  number: { schema: { type: 'number' }, typeText: 'number' },
  float: { schema: { type: 'number' }, typeText: 'number' },
  integer: { schema: { type: 'integer' }, typeText: 'integer' },
  int: { schema: { type: 'integer' }, typeText: 'integer' },
  boolean: { schema: { type: 'boolean' }, typeText: 'boolean' },
  bool: { schema: { type: 'boolean' }, typeText: 'boolean' },
};

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*/;

class Parser {
  constructor(private readonly source: string) {}

  fail(at: number, problem: string, fix: string): never {
    const column = at + 1;
    const caret = `${' '.repeat(at)}^`;
    throw new DspyError(
      'SIGNATURE_PARSE',
      `signature('${this.source}'): ${problem} (column ${column}).\n  ${this.source}\n  ${caret}`,
      { details: { where: `signature string, column ${column}`, column, signature: this.source, fix } },
    );
  }

  /** Splits `piece` at top-level occurrences of `sep` (outside quotes and brackets). */
  split(piece: Piece, sep: string): Piece[] {
    const out: Piece[] = [];
    let depth = 0;
    let quote = '';
    let start = 0;
    const { text } = piece;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = '';
        continue;
      }
      if (ch === "'" || ch === '"') quote = ch;
      else if ('([<{'.includes(ch)) depth++;
      else if (')]>}'.includes(ch) && !(ch === '>' && text[i - 1] === '-')) depth--;
      else if (depth === 0 && text.startsWith(sep, i)) {
        out.push({ text: text.slice(start, i), at: piece.at + start });
        start = i + sep.length;
        i += sep.length - 1;
      }
    }
    if (quote)
      this.fail(
        piece.at + text.lastIndexOf(quote),
        'unterminated quoted literal',
        `Close the ${quote} quote.`,
      );
    out.push({ text: text.slice(start), at: piece.at + start });
    return out;
  }

  trim(piece: Piece): Piece {
    const lead = piece.text.length - piece.text.trimStart().length;
    return { text: piece.text.trim(), at: piece.at + lead };
  }

  parse(): ParsedSignature {
    const sides = this.split({ text: this.source, at: 0 }, '->');
    if (sides.length === 1) {
      this.fail(
        this.source.length,
        "missing '->' between inputs and outputs",
        "Write 'inputs -> outputs', e.g. 'question -> answer'.",
      );
    }
    if (sides.length > 2) this.fail((sides[2] as Piece).at - 2, "more than one '->'", "Use '->' once.");
    const inputs = this.fields(sides[0] as Piece, 'input');
    const outputs = this.fields(sides[1] as Piece, 'output');
    const calls = outputs.filter(([f]) => f.typeText === 'ToolCalls');
    if (calls.length > 1) {
      this.fail(
        (calls[1] as [FieldSpec, number])[1],
        'more than one ToolCalls output',
        'A signature has at most one ToolCalls output: keep one.',
      );
    }
    if (outputs.length === 0) {
      this.fail(
        this.source.length,
        'no output fields after ->',
        "Name at least one output, e.g. '-> answer'.",
      );
    }
    const seen = new Map<string, number>();
    for (const [f, at] of [...inputs, ...outputs]) {
      if (seen.has(f.name))
        this.fail(at, `field '${f.name}' is declared twice`, 'Give every field a distinct name.');
      seen.set(f.name, at);
    }
    return { inputs: inputs.map(([f]) => f), outputs: outputs.map(([f]) => f) };
  }

  fields(side: Piece, role: 'input' | 'output'): [FieldSpec, number][] {
    if (side.text.trim() === '') return [];
    return this.split(side, ',').map((p) => {
      const piece = this.trim(p);
      if (piece.text === '') this.fail(p.at, `empty ${role} field`, 'Remove the extra comma.');
      return [this.field(piece, role), piece.at];
    });
  }

  field(piece: Piece, role: 'input' | 'output'): FieldSpec {
    const name = NAME_RE.exec(piece.text)?.[0];
    if (!name)
      this.fail(
        piece.at,
        `expected a field name, found '${piece.text[0]}'`,
        'Start each field with an identifier.',
      );
    if (['completed', 'constructor', 'prototype'].includes(name)) {
      this.fail(piece.at, `'${name}' cannot be a field name`, 'Rename the field.');
    }
    let rest = this.trim({ text: piece.text.slice(name.length), at: piece.at + name.length });
    const optional = rest.text.startsWith('?');
    if (optional) rest = this.trim({ text: rest.text.slice(1), at: rest.at + 1 });
    if (rest.text === '') return this.fieldSpec(name, PRIMITIVES.string as ParsedType, optional);
    if (!rest.text.startsWith(':')) {
      this.fail(
        rest.at,
        `expected ':' or ',' after '${name}', found '${rest.text[0]}'`,
        "Write 'name: type'.",
      );
    }
    const typePiece = this.trim({ text: rest.text.slice(1), at: rest.at + 1 });
    if (typePiece.text === '')
      this.fail(typePiece.at, `missing type after '${name}:'`, 'Write a type such as string.');
    if (typePiece.text === 'History') return this.history(name, typePiece, role, optional);
    const compact = typePiece.text.replace(/\s+/g, '');
    if (compact === 'Tool[]' || compact === 'Array<Tool>') return this.tools(name, typePiece, role, optional);
    if (compact === 'ToolCalls') return this.toolCalls(name, typePiece, role, optional);
    if (compact === 'Reasoning') return this.reasoning(name, typePiece, role, optional);
    if (/^Code(?:$|[<[])/.test(compact)) return this.code(name, typePiece, compact, optional);
    const parsed = this.type(typePiece);
    const media = role === 'output' ? mediaInSchema(parsed.schema) : undefined;
    if (media) {
      this.fail(
        typePiece.at,
        `'${name}: ${parsed.typeText}' is an output`,
        `${media} is an input type (models read media, they do not write it): move it before ->.`,
      );
    }
    return this.fieldSpec(name, parsed, optional);
  }

  /** `name: Tool[]`: an input of tools (never an output). */
  tools(name: string, piece: Piece, role: 'input' | 'output', optional: boolean): FieldSpec {
    if (role === 'output') {
      this.fail(piece.at, `'${name}: Tool[]' is an output`, 'Tools are an input: move it before ->.');
    }
    return this.fieldSpec(name, { schema: TOOLS_SCHEMA, typeText: 'Tool[]' }, optional);
  }

  /** `name: ToolCalls`: an output of tool calls (never an input). */
  toolCalls(name: string, piece: Piece, role: 'input' | 'output', optional: boolean): FieldSpec {
    if (role === 'input') {
      this.fail(
        piece.at,
        `'${name}: ToolCalls' is an input`,
        'ToolCalls is an output: move it after ->; give earlier calls to the model as a History of agent steps.',
      );
    }
    return this.fieldSpec(name, { schema: TOOL_CALLS_SCHEMA, typeText: 'ToolCalls' }, optional);
  }

  /** `name: Reasoning`: an output of the model's reasoning (never an input). */
  reasoning(name: string, piece: Piece, role: 'input' | 'output', optional: boolean): FieldSpec {
    if (role === 'input') {
      this.fail(
        piece.at,
        `'${name}: Reasoning' is an input`,
        'Reasoning is what a model writes: move it after ->, or give earlier reasoning as a string input.',
      );
    }
    return this.fieldSpec(name, { schema: REASONING_SCHEMA, typeText: 'Reasoning' }, optional);
  }

  /** `name: Code`, `Code[python]`, `Code<python>` (the language may be quoted): source code, in or out. */
  code(name: string, piece: Piece, compact: string, optional: boolean): FieldSpec {
    const m = /^Code(?:([<[])(['"]?)(.*?)\2([>\]]))?$/.exec(compact);
    const language = m?.[3];
    const closes = m?.[1] === undefined || (m[1] === '<' ? m[4] === '>' : m[4] === ']');
    if (!m || !closes || (language !== undefined && !LANGUAGE_NAME.test(language))) {
      this.fail(
        piece.at,
        `'${name}: ${piece.text}' is not a Code type`,
        'Write Code, or Code[language] with a language name such as python, sql or typescript.',
      );
    }
    const typeText = language ? `Code[${language}]` : 'Code';
    return this.fieldSpec(name, { schema: codeSchema(language), typeText }, optional);
  }

  /** `name: History`: an input of earlier turns (never an output). */
  history(name: string, piece: Piece, role: 'input' | 'output', optional: boolean): FieldSpec {
    if (role === 'output') {
      this.fail(piece.at, `'${name}: History' is an output`, 'A History is an input: move it before ->.');
    }
    return this.fieldSpec(name, { schema: HISTORY_SCHEMA, typeText: 'History' }, optional);
  }

  fieldSpec(name: string, t: ParsedType, optional: boolean): FieldSpec {
    return { name, schema: t.schema, typeText: t.typeText, ...(optional ? { optional: true } : {}) };
  }

  type(piece: Piece): ParsedType {
    const members = this.split(piece, '|').map((m) => this.trim(m));
    if (members.length > 1) return this.union(members);
    const { text, at } = piece;
    if (text.endsWith('[]')) return this.array(this.type(this.trim({ text: text.slice(0, -2), at })));
    const generic = /^(Array|list|List)\s*[<[](.*)[>\]]$/s.exec(text);
    if (generic?.[2] !== undefined) {
      const inner = generic[2];
      return this.array(
        this.type(this.trim({ text: inner, at: at + text.indexOf(inner, generic[1]?.length) })),
      );
    }
    if (text.startsWith('(') && text.endsWith(')'))
      return this.type(this.trim({ text: text.slice(1, -1), at: at + 1 }));
    const lit = this.literal(text);
    if (lit !== undefined) return lit;
    const prim = Object.hasOwn(PRIMITIVES, text) ? PRIMITIVES[text] : undefined;
    if (prim) return prim;
    if (isMediaTypeName(text)) return { schema: MEDIA_SCHEMAS[text], typeText: text };
    return this.fail(
      at,
      `unknown type '${text}'`,
      "Use string, number, integer, boolean, Image, Audio, File, Code[language], Reasoning, T[], or a union of literals ('a' | 'b'); for richer types use a @Signature() class.",
    );
  }

  literal(text: string): ParsedType | undefined {
    const q = text[0];
    if ((q === "'" || q === '"') && text.length >= 2 && text.endsWith(q)) {
      const value = text.slice(1, -1).replace(/\\(.)/g, '$1');
      return { schema: { type: 'string', enum: [value] }, typeText: `'${value}'`, literal: value };
    }
    if (/^-?\d+(\.\d+)?$/.test(text)) {
      const value = Number(text);
      return { schema: { type: 'number', enum: [value] }, typeText: text, literal: value };
    }
    if (text === 'true' || text === 'false') {
      return {
        schema: { type: 'boolean', enum: [text === 'true'] },
        typeText: text,
        literal: text === 'true',
      };
    }
    return undefined;
  }

  array(item: ParsedType): ParsedType {
    const wrap = item.typeText.includes('|') ? `(${item.typeText})` : item.typeText;
    return { schema: { type: 'array', items: item.schema as JsonValue }, typeText: `${wrap}[]` };
  }

  union(members: Piece[]): ParsedType {
    const parsed = members.map((m) => {
      if (m.text === '') this.fail(m.at, "empty member in a '|' union", "Remove the extra '|'.");
      return this.type(m);
    });
    const typeText = parsed.map((p) => p.typeText).join(' | ');
    if (parsed.every((p) => p.literal !== undefined)) {
      const values = [...new Set(parsed.map((p) => p.literal as string | number | boolean))];
      const kinds = new Set(values.map((v) => typeof v));
      const type = kinds.size === 1 ? [...kinds][0] : undefined;
      return { schema: { ...(type ? { type } : {}), enum: values }, typeText };
    }
    return { schema: { anyOf: parsed.map((p) => p.schema as JsonValue) }, typeText };
  }
}

/** Parses a string signature into its fields; throws `DspyError('SIGNATURE_PARSE')` with the column. */
export function parseSignatureString(text: string): ParsedSignature {
  if (typeof text !== 'string') {
    throw new DspyError('SIGNATURE_PARSE', `signature(): expected a string, got ${typeof text}.`, {
      details: { where: 'signature()', fix: "Pass a string such as 'question -> answer'." },
    });
  }
  return new Parser(text).parse();
}
