import type { SignatureRegistry } from './manifest.js';
import type { SignatureSpec } from './spec.js';
import type { ParseSignature } from './string-types.js';

/** Any class constructor (a signature class is one). */
export type SignatureClass = abstract new (...args: never) => object;

/** What modules accept as a signature: a `@Signature()` class, a string signature, or a spec. */
export type SignatureTarget = SignatureClass | string | SignatureSpec<object, object>;

type InstanceOf<C> = C extends abstract new (...args: never) => infer R ? R : never;

/** The `SignatureRegistry` entry whose `target` is the class type `C` (never when unregistered). */
export type RegistryEntryOf<C> = {
  [K in keyof SignatureRegistry]: SignatureRegistry[K] extends { target: infer T }
    ? [C] extends [T]
      ? [T] extends [C]
        ? SignatureRegistry[K]
        : never
      : never
    : never;
}[keyof SignatureRegistry];

type EntryKeys<C, Role extends 'inputs' | 'outputs'> =
  RegistryEntryOf<C> extends infer E
    ? E extends { [R in Role]: infer Keys }
      ? Extract<Keys, keyof InstanceOf<C>>
      : never
    : never;

/**
 * The input or output object of a class signature: `Pick<Instance, keys>` from the build
 * step's `SignatureRegistry` entry; an unregistered class gives all its instance properties.
 */
type ClassSide<C, Role extends 'inputs' | 'outputs'> = [RegistryEntryOf<C>] extends [never]
  ? InstanceOf<C>
  : Pick<InstanceOf<C>, EntryKeys<C, Role>>;

type Side<T, Role extends 'inputs' | 'outputs'> = T extends string
  ? SpecSide<ParseSignature<T>, Role>
  : T extends SignatureSpec<object, object>
    ? SpecSide<T, Role>
    : T extends { readonly isPredictor: true; readonly signature: infer S }
      ? Side<S, Role>
      : T extends SignatureClass
        ? ClassSide<T, Role>
        : T extends (...args: never) => Promise<infer R>
          ? Role extends 'outputs'
            ? R extends object
              ? R
              : Record<string, unknown>
            : Record<string, unknown>
          : Record<string, unknown>;

type SpecSide<S, Role extends 'inputs' | 'outputs'> =
  S extends SignatureSpec<infer I, infer O> ? (Role extends 'inputs' ? I : O) : Record<string, unknown>;

/**
 * The inputs object of a signature: `T` is a signature class, a string literal, a
 * `SignatureSpec<I, O>`, a predictor, or a `@Signature()` method (outputs only are typed there).
 *
 * A class is typed through its `SignatureRegistry` entry, which `dspy-ts build` writes into
 * the generated module: `Pick<Instance, inputs>` (optional properties stay optional). A class
 * without an entry (build not run yet) falls back to ALL its public instance properties, for
 * inputs and outputs alike; run the build to get exact types. A string that is not a literal,
 * or that the type parser cannot read, gives `Record<string, unknown>`; an unreadable field
 * type gives `unknown`.
 *
 * @example
 * ```ts
 * type In = InputsOf<'question: string -> answer: string'>; // { question: string }
 * ```
 */
export type InputsOf<T> = Side<T, 'inputs'>;

/** The outputs object of a signature (see {@link InputsOf}). */
export type OutputsOf<T> = Side<T, 'outputs'>;

/** The typed spec `specOf(target)` returns. */
export type SpecOf<T> = SignatureSpec<AsObject<InputsOf<T>>, AsObject<OutputsOf<T>>>;

type AsObject<T> = T extends object ? T : Record<string, unknown>;
