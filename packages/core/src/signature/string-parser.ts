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
 *
 * Written as plain functions over a closure (not a class) so that a minifier can shorten every
 * internal name: this module is on the synchronous path of every `Predict` constructor.
 */

/** The fields of a parsed string signature. */
export interface ParsedSignature {
  readonly inputs: FieldSpec[];
  readonly outputs: FieldSpec[];
}

/** A slice of the signature text and its 0-based offset in the whole string. */
interface Piece {
  readonly text: string;
  readonly at: number;
}

interface ParsedType {
  readonly schema: JsonSchema;
  readonly typeText: string;
  /** Set for a literal type: its value. */
  readonly literal?: string | number | boolean;
}

type Role = 'input' | 'output';

/** Primitive type names (DSPy's spellings too) and the JSON Schema type each stands for. */
const PRIMITIVES: Readonly<Record<string, string>> = {
  string: 'string',
  str: 'string',
  number: 'number',
  float: 'number',
  integer: 'integer',
  int: 'integer',
  boolean: 'boolean',
  bool: 'boolean',
};

/**
 * Types with a fixed schema, by their compact spelling: the schema (read when used, so the
 * imported constants may load in any order), the type text, the role they cannot take and the
 * fix for that mistake.
 */
const SPECIAL: Readonly<Record<string, readonly [() => JsonSchema, string, Role, string]>> = {
  History: [() => HISTORY_SCHEMA, 'History', 'output', 'A History is an input: move it before ->.'],
  'Tool[]': [() => TOOLS_SCHEMA, 'Tool[]', 'output', 'Tools are an input: move it before ->.'],
  ToolCalls: [
    () => TOOL_CALLS_SCHEMA,
    'ToolCalls',
    'input',
    'ToolCalls is an output: move it after ->; give earlier calls to the model as a History of agent steps.',
  ],
  Reasoning: [
    () => REASONING_SCHEMA,
    'Reasoning',
    'input',
    'Reasoning is what a model writes: move it after ->, or give earlier reasoning as a string input.',
  ],
};

/** Parses a string signature into its fields; throws `DspyError('SIGNATURE_PARSE')` with the column. */
export function parseSignatureString(source: string): ParsedSignature {
  if (typeof source !== 'string') {
    throw new DspyError('SIGNATURE_PARSE', `signature(): expected a string, got ${typeof source}.`, {
      details: { where: 'signature()', fix: "Pass a string such as 'question -> answer'." },
    });
  }

  const fail = (at: number, problem: string, fix: string): never => {
    const column = at + 1;
    throw new DspyError(
      'SIGNATURE_PARSE',
      `signature('${source}'): ${problem} (column ${column}).\n  ${source}\n  ${' '.repeat(at)}^`,
      { details: { where: `signature string, column ${column}`, column, signature: source, fix } },
    );
  };

  const trim = (text: string, at: number): Piece => ({
    text: text.trim(),
    at: at + text.length - text.trimStart().length,
  });

  /** Splits `piece` at top-level occurrences of `sep` (outside quotes and brackets). */
  const split = ({ text, at }: Piece, sep: string): Piece[] => {
    const out: Piece[] = [];
    let depth = 0;
    let quote = '';
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = '';
      } else if (ch === "'" || ch === '"') quote = ch;
      else if ('([<{'.includes(ch)) depth++;
      else if (')]>}'.includes(ch) && !(ch === '>' && text[i - 1] === '-')) depth--;
      else if (!depth && text.startsWith(sep, i)) {
        out.push({ text: text.slice(start, i), at: at + start });
        start = i + sep.length;
        i = start - 1;
      }
    }
    if (quote) fail(at + text.lastIndexOf(quote), 'unterminated quoted literal', `Close the ${quote} quote.`);
    out.push({ text: text.slice(start), at: at + start });
    return out;
  };

  const field = (name: string, t: ParsedType, optional: boolean): FieldSpec => ({
    name,
    schema: t.schema,
    typeText: t.typeText,
    ...(optional ? { optional: true } : {}),
  });

  const array = (item: ParsedType): ParsedType => ({
    schema: { type: 'array', items: item.schema as JsonValue },
    typeText: `${item.typeText.includes('|') ? `(${item.typeText})` : item.typeText}[]`,
  });

  const literal = (text: string): ParsedType | undefined => {
    const q = text[0];
    let value: string | number | boolean;
    if ((q === "'" || q === '"') && text.length > 1 && text.endsWith(q)) {
      value = text.slice(1, -1).replace(/\\(.)/g, '$1');
      return { schema: { type: 'string', enum: [value] }, typeText: `'${value}'`, literal: value };
    }
    if (/^-?\d+(\.\d+)?$/.test(text)) value = Number(text);
    else if (text === 'true' || text === 'false') value = text === 'true';
    else return undefined;
    return { schema: { type: typeof value, enum: [value] }, typeText: text, literal: value };
  };

  const type = (piece: Piece): ParsedType => {
    const members = split(piece, '|').map((m) => trim(m.text, m.at));
    if (members.length > 1) {
      const parsed = members.map((m) =>
        m.text === '' ? fail(m.at, "empty member in a '|' union", "Remove the extra '|'.") : type(m),
      );
      const typeText = parsed.map((p) => p.typeText).join(' | ');
      if (parsed.every((p) => p.literal !== undefined)) {
        const values = [...new Set(parsed.map((p) => p.literal as string | number | boolean))];
        const kinds = new Set(values.map((v) => typeof v));
        return { schema: { ...(kinds.size === 1 ? { type: [...kinds][0] } : {}), enum: values }, typeText };
      }
      return { schema: { anyOf: parsed.map((p) => p.schema as JsonValue) }, typeText };
    }
    const { text, at } = piece;
    if (text.endsWith('[]')) return array(type(trim(text.slice(0, -2), at)));
    const generic = /^(Array|list|List)\s*[<[](.*)[>\]]$/s.exec(text);
    if (generic) {
      const inner = generic[2] as string;
      return array(type(trim(inner, at + text.indexOf(inner, (generic[1] as string).length))));
    }
    if (text[0] === '(' && text.endsWith(')')) return type(trim(text.slice(1, -1), at + 1));
    const lit = literal(text);
    if (lit) return lit;
    if (Object.hasOwn(PRIMITIVES, text)) {
      const name = PRIMITIVES[text] as string;
      return { schema: { type: name }, typeText: name };
    }
    if (isMediaTypeName(text)) return { schema: MEDIA_SCHEMAS[text], typeText: text };
    return fail(
      at,
      `unknown type '${text}'`,
      "Use string, number, integer, boolean, Image, Audio, File, Code[language], Reasoning, T[], or a union of literals ('a' | 'b'); for richer types use a @Signature() class.",
    );
  };

  const parseField = ({ text, at }: Piece, role: Role): FieldSpec => {
    const name = /^[A-Za-z_]\w*/.exec(text)?.[0];
    if (!name)
      return fail(at, `expected a field name, found '${text[0]}'`, 'Start each field with an identifier.');
    if (['completed', 'constructor', 'prototype'].includes(name)) {
      fail(at, `'${name}' cannot be a field name`, 'Rename the field.');
    }
    let rest = trim(text.slice(name.length), at + name.length);
    const optional = rest.text[0] === '?';
    if (optional) rest = trim(rest.text.slice(1), rest.at + 1);
    if (rest.text === '') return field(name, { schema: { type: 'string' }, typeText: 'string' }, optional);
    if (rest.text[0] !== ':') {
      fail(rest.at, `expected ':' or ',' after '${name}', found '${rest.text[0]}'`, "Write 'name: type'.");
    }
    const typePiece = trim(rest.text.slice(1), rest.at + 1);
    const typeText = typePiece.text;
    if (typeText === '') fail(typePiece.at, `missing type after '${name}:'`, 'Write a type such as string.');
    const compact = typeText.replace(/\s+/g, '');
    // `History` is matched as written; the other fixed types also with inner spaces.
    const key = compact === 'Array<Tool>' ? 'Tool[]' : compact === 'History' ? typeText : compact;
    const special = Object.hasOwn(SPECIAL, key) ? SPECIAL[key] : undefined;
    if (special) {
      const [schema, shown, forbidden, fix] = special;
      if (role === forbidden) fail(typePiece.at, `'${name}: ${shown}' is an ${role}`, fix);
      return field(name, { schema: schema(), typeText: shown }, optional);
    }
    if (/^Code(?:$|[<[])/.test(compact)) {
      const m = /^Code(?:([<[])(['"]?)(.*?)\2([>\]]))?$/.exec(compact);
      const language = m?.[3];
      if (
        !m ||
        (m[1] && m[4] !== (m[1] === '<' ? '>' : ']')) ||
        (language !== undefined && !LANGUAGE_NAME.test(language))
      ) {
        fail(
          typePiece.at,
          `'${name}: ${typeText}' is not a Code type`,
          'Write Code, or Code[language] with a language name such as python, sql or typescript.',
        );
      }
      return field(
        name,
        { schema: codeSchema(language), typeText: language ? `Code[${language}]` : 'Code' },
        optional,
      );
    }
    const parsed = type(typePiece);
    const media = role === 'output' && mediaInSchema(parsed.schema);
    if (media) {
      fail(
        typePiece.at,
        `'${name}: ${parsed.typeText}' is an output`,
        `${media} is an input type (models read media, they do not write it): move it before ->.`,
      );
    }
    return field(name, parsed, optional);
  };

  const fields = (side: Piece, role: Role): [FieldSpec, number][] =>
    side.text.trim() === ''
      ? []
      : split(side, ',').map((p) => {
          const piece = trim(p.text, p.at);
          if (piece.text === '') fail(p.at, `empty ${role} field`, 'Remove the extra comma.');
          return [parseField(piece, role), piece.at];
        });

  const sides = split({ text: source, at: 0 }, '->');
  const end = source.length;
  if (sides.length < 2) {
    fail(
      end,
      "missing '->' between inputs and outputs",
      "Write 'inputs -> outputs', e.g. 'question -> answer'.",
    );
  }
  if (sides.length > 2) fail((sides[2] as Piece).at - 2, "more than one '->'", "Use '->' once.");
  const inputs = fields(sides[0] as Piece, 'input');
  const outputs = fields(sides[1] as Piece, 'output');
  const calls = outputs.filter(([f]) => f.typeText === 'ToolCalls');
  if (calls[1]) {
    fail(
      calls[1][1],
      'more than one ToolCalls output',
      'A signature has at most one ToolCalls output: keep one.',
    );
  }
  if (!outputs.length) fail(end, 'no output fields after ->', "Name at least one output, e.g. '-> answer'.");
  const seen = new Set<string>();
  for (const [f, at] of [...inputs, ...outputs]) {
    if (seen.has(f.name))
      fail(at, `field '${f.name}' is declared twice`, 'Give every field a distinct name.');
    seen.add(f.name);
  }
  return { inputs: inputs.map(([f]) => f), outputs: outputs.map(([f]) => f) };
}
