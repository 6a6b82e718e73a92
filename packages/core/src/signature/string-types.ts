import type { Audio, File, Image } from '../media/media.js';
import type { ToolCalls } from '../tools/tool-calls.js';
import type { Tool } from '../tools/types.js';
import type { Code, Reasoning } from './code-reasoning.js';
import type { History } from './history.js';
import type { SignatureSpec } from './spec.js';

/**
 * Type-level parsing of string signatures with template literal types, so that
 * `signature('question: string -> answer: string, score: number')` is a
 * `SignatureSpec<{ question: string }, { answer: string; score: number }>`.
 * What it cannot read becomes `unknown` (a field type) or `Record<string, unknown>` (a whole side).
 */

type Space = ' ' | '\n' | '\t' | '\r';
type TrimStart<S extends string> = S extends `${Space}${infer R}` ? TrimStart<R> : S;
type TrimEnd<S extends string> = S extends `${infer R}${Space}` ? TrimEnd<R> : S;
/** `S` without surrounding whitespace. */
export type Trim<S extends string> = TrimStart<TrimEnd<S>>;

type Pop<D extends unknown[]> = D extends [unknown, ...infer T] ? T : [];

/**
 * Splits `S` at the one-character delimiter `D` outside quotes and brackets, one character
 * at a time (tail-recursive, so signatures up to about 1000 characters are read).
 */
type SplitTop<
  S extends string,
  D extends string,
  Cur extends string = '',
  Out extends string[] = [],
  Quote extends string = '',
  Depth extends unknown[] = [],
> = S extends `${infer C}${infer Rest}`
  ? Quote extends ''
    ? C extends "'" | '"'
      ? SplitTop<Rest, D, `${Cur}${C}`, Out, C, Depth>
      : C extends '(' | '[' | '<'
        ? SplitTop<Rest, D, `${Cur}${C}`, Out, Quote, [...Depth, C]>
        : C extends ')' | ']' | '>'
          ? SplitTop<Rest, D, `${Cur}${C}`, Out, Quote, Pop<Depth>>
          : C extends D
            ? Depth extends []
              ? SplitTop<Rest, D, '', [...Out, Cur], Quote, Depth>
              : SplitTop<Rest, D, `${Cur}${C}`, Out, Quote, Depth>
            : SplitTop<Rest, D, `${Cur}${C}`, Out, Quote, Depth>
    : SplitTop<Rest, D, `${Cur}${C}`, Out, C extends Quote ? '' : Quote, Depth>
  : [...Out, Cur];

interface Primitives {
  string: string;
  str: string;
  number: number;
  float: number;
  integer: number;
  int: number;
  boolean: boolean;
  bool: boolean;
  History: History;
  ToolCalls: ToolCalls;
  'Tool[]': Tool[];
  'Array<Tool>': Tool[];
  Image: Image;
  Audio: Audio;
  File: File;
  Reasoning: Reasoning;
  Code: Code;
}

type Unquote<T extends string> = T extends `'${infer L}'` | `"${infer L}"` ? L : T;

/** `Code[python]`, `Code<python>` (the language may be quoted): `Code<'python'>`. */
type ParseCode<T extends string> = T extends `Code[${infer L}]` | `Code<${infer L}>`
  ? Code<Unquote<Trim<L>>>
  : never;

type Literal<T extends string> = T extends `'${infer L}'`
  ? L
  : T extends `"${infer L}"`
    ? L
    : T extends 'true'
      ? true
      : T extends 'false'
        ? false
        : T extends `${infer N extends number}`
          ? N
          : unknown;

type ParseUnion<Members extends string[]> = { [K in keyof Members]: ParseType<Trim<Members[K]>> }[number];

type ParseSingle<T extends string> = T extends `Code${'[' | '<'}${string}`
  ? ParseCode<T>
  : T extends `${infer E}[]`
    ? ParseType<Trim<E>>[]
    : T extends `Array<${infer E}>` | `list[${infer E}]` | `List[${infer E}]`
      ? ParseType<Trim<E>>[]
      : T extends `(${infer E})`
        ? ParseType<Trim<E>>
        : Literal<T>;

/** The TypeScript type of one type expression of a string signature. */
export type ParseType<T extends string> = T extends keyof Primitives
  ? Primitives[T]
  : SplitTop<T, '|'> extends [infer One extends string]
    ? ParseSingle<One>
    : ParseUnion<SplitTop<T, '|'>>;

interface ParsedField<N extends string, T, Opt extends boolean> {
  name: N;
  type: T;
  optional: Opt;
}

type FieldNamed<N extends string, T> = N extends `${infer B}?`
  ? ParsedField<Trim<B>, T, true>
  : ParsedField<N, T, false>;

type ParseField<F extends string> = F extends `${infer N}:${infer T}`
  ? FieldNamed<Trim<N>, ParseType<Trim<T>>>
  : FieldNamed<F, string>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type FieldsObject<F extends ParsedField<string, unknown, boolean>> = Simplify<
  { [P in F as P['optional'] extends false ? P['name'] : never]: P['type'] } & {
    [P in F as P['optional'] extends true ? P['name'] : never]?: P['type'];
  }
>;

/** The object type of one side (`a: string, b?: number`) of a string signature. */
export type ParseSide<S extends string> =
  Trim<S> extends '' ? Record<never, never> : FieldsObject<ParseField<Trim<SplitTop<S, ','>[number]>>>;

/** Inputs and outputs of a string signature; `Record<string, unknown>` when it is not a literal. */
export type ParseSignature<S extends string> = string extends S
  ? SignatureSpec<Record<string, unknown>, Record<string, unknown>>
  : S extends `${infer L}->${infer R}`
    ? R extends `${string}->${string}`
      ? SignatureSpec<Record<string, unknown>, Record<string, unknown>>
      : SignatureSpec<ParseSide<L>, ParseSide<R>>
    : SignatureSpec<Record<string, unknown>, Record<string, unknown>>;
