import type { FieldSpec, JsonSchema } from './spec.js';

/** The marker keyword adapters read on the schema of a `Code` or `Reasoning` field. */
const TYPE_KEY = 'x-dspy-type';
/** The keyword that names a `Code` field's language. */
const LANGUAGE_KEY = 'x-dspy-language';

/**
 * Source code in a field: the code itself and its language. As an output, the prompt tells the
 * model the language and asks for a fenced block (```` ```python ... ``` ````); the adapters keep
 * what is inside the fence. As an input, the value (or a plain string) is shown as such a block.
 * `Code<'python'>` names the language in a class or method signature, `code: Code[python]` (or
 * `Code<python>`) in a string signature; a plain `Code` leaves it to the model and `language` is
 * then the fence's tag, or `''`.
 *
 * @example
 * ```ts
 * const write = new Predict('task -> program: Code[python]');
 * const { program } = await write.forward({ task: 'Sum the numbers 1 to 10.' });
 * program.code; // 'print(sum(range(1, 11)))'
 * program.language; // 'python'
 * ```
 */
export interface Code<L extends string = string> {
  /** The source code, without the fence around it. */
  readonly code: string;
  /** The language: the field's when it names one, else the fence's tag (`''` when there is none). */
  readonly language: L;
}

/**
 * A model's reasoning, as an output field's type. When the model is a reasoning model that
 * returns its own reasoning apart from the answer (`reasoning_content`, see
 * `LMResponse.reasoning`), the field takes that; otherwise it takes the text the model wrote in
 * the field, like a `string`. `ChainOfThought`'s `reasoning` output has this type.
 *
 * @example
 * ```ts
 * @Signature()
 * class Solve {
 *   @InputField() problem!: string;
 *   @OutputField() reasoning!: Reasoning;
 *   @OutputField() answer!: number;
 * }
 * ```
 */
export type Reasoning = string;

/** The JSON Schema of a `Reasoning` field, as the build step and the string parser write it. */
export const REASONING_SCHEMA: JsonSchema = Object.freeze({ type: 'string', [TYPE_KEY]: 'Reasoning' });

const codeSchemas = new Map<string, JsonSchema>();

/**
 * The JSON Schema of a `Code` field of `language` (none: any language), as the build step and
 * the string parser write it. The same language gives the same (frozen) object.
 */
export function codeSchema(language?: string): JsonSchema {
  const key = language ?? '';
  let schema = codeSchemas.get(key);
  if (!schema) {
    schema = Object.freeze({
      type: 'object',
      [TYPE_KEY]: 'Code',
      ...(language ? { [LANGUAGE_KEY]: language } : {}),
      properties: { code: { type: 'string' }, language: { type: 'string' } },
      required: ['code'],
    });
    codeSchemas.set(key, schema);
  }
  return schema;
}

/** True when a field is a `Reasoning` field (its schema carries the marker). */
export function isReasoningType(field: Pick<FieldSpec, 'schema'>): boolean {
  return field.schema[TYPE_KEY] === 'Reasoning';
}

/** True when a field is a `Code` field (its schema carries the marker). */
export function isCodeType(field: Pick<FieldSpec, 'schema'>): boolean {
  return field.schema[TYPE_KEY] === 'Code';
}

/** The language a `Code` field names, or `undefined` (any language, or not a `Code` field). */
export function codeLanguageOf(field: Pick<FieldSpec, 'schema'>): string | undefined {
  const language = field.schema[LANGUAGE_KEY];
  return isCodeType(field) && typeof language === 'string' && language !== '' ? language : undefined;
}

/** A language name as a string signature or a type argument may write it: letters, digits, `+#._-`. */
export const LANGUAGE_NAME = /^[A-Za-z0-9][\w+#.-]*$/;

/** The first fenced block of a text: its tag and its body. */
const FENCE =
  /(^|\n)[^\S\n]*(`{3,}|~{3,})[^\S\n]*([^\s`]*)[^\n]*\n([\s\S]*?)(?:\n[^\S\n]*\2[^\S\n]*(?=\n|$)|$)/;

/**
 * The code of a text a model wrote for a `Code` field: the body of its first fenced block
 * (```` ```lang ... ``` ````; an unclosed fence runs to the end), else the whole text, trimmed
 * of blank lines around it. `language` is the field's, else the fence's tag, else `''`.
 *
 * @example
 * ```ts
 * parseCode('Here:\n```python\nprint(1)\n```', 'python'); // { code: 'print(1)', language: 'python' }
 * ```
 */
export function parseCode(text: string, language?: string): Code {
  const m = FENCE.exec(text);
  const body = m ? (m[4] ?? '') : text;
  const tag = m?.[3] ?? '';
  const code = body.replace(/^(?:[^\S\n]*\n)+/, '').replace(/\s+$/, '');
  return { code, language: language ?? tag };
}

/** A `Code` value (or a plain string of code) as a fenced block, longer fences when the code holds one. */
export function fenceCode(value: Code | string, language?: string): string {
  const code = typeof value === 'string' ? value : value.code;
  const lang = language ?? (typeof value === 'string' ? '' : value.language);
  let fence = '```';
  while (code.includes(fence)) fence += '`';
  return `${fence}${lang}\n${code}\n${fence}`;
}

/** True for a `{ code: string, language?: string }` object. */
export function isCodeValue(value: unknown): value is Code {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as { code?: unknown; language?: unknown };
  return typeof v.code === 'string' && (v.language === undefined || typeof v.language === 'string');
}
