import { DspyError } from '../errors.js';

type Fields = Record<string, unknown>;

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * One data point: named values, some of which are marked as inputs (the rest are labels).
 * Field values are readable as properties (`ex.question`) and through {@link ExampleBase.get}.
 *
 * @example
 * ```ts
 * const ex = new Example({ question: 'What is 2+2?', answer: '4' }).withInputs('question');
 * ex.inputs().toJSON(); // { question: 'What is 2+2?' }
 * ```
 */
export class ExampleBase<T extends Fields = Fields> {
  /** Field values, readable as properties (typed through {@link Example}). */
  readonly [field: string]: unknown;
  /** @internal */
  readonly #data: Readonly<T>;
  /** @internal */
  readonly #inputKeys: readonly (keyof T & string)[] | undefined;

  constructor(data: T | ExampleBase<T>, inputKeys?: readonly (keyof T & string)[]) {
    const plain = data instanceof ExampleBase ? data.toJSON() : { ...data };
    for (const k of Object.keys(plain)) {
      if (RESERVED.has(k)) {
        throw new DspyError('DATASET_INVALID', `Example key '${k}' is not allowed.`, {
          details: { fix: 'Rename the field; __proto__, constructor and prototype are reserved.' },
        });
      }
    }
    this.#data = Object.freeze(plain) as Readonly<T>;
    this.#inputKeys = inputKeys ?? (data instanceof ExampleBase ? data.#inputKeys : undefined);
    for (const [k, v] of Object.entries(plain)) {
      if (!(k in this)) Object.defineProperty(this, k, { value: v, enumerable: true });
    }
    Object.freeze(this);
  }

  /** A copy whose inputs are `keys` (the other fields become labels). */
  withInputs<K extends keyof T & string>(...keys: K[]): Example<T> {
    return new ExampleBase<T>(this.#data, keys) as Example<T>;
  }

  /** The input keys, or undefined when `withInputs` was never called. */
  get inputKeys(): readonly (keyof T & string)[] | undefined {
    return this.#inputKeys;
  }

  /** The input fields only. Throws when no inputs were marked. */
  inputs(): Example<Partial<T>> {
    const keys = this.requireInputs();
    return new ExampleBase(pick(this.#data, keys), keys) as unknown as Example<Partial<T>>;
  }

  /** The non-input fields only. */
  labels(): Example<Partial<T>> {
    const keys = new Set<string>(this.requireInputs());
    const rest = Object.keys(this.#data).filter((k) => !keys.has(k));
    return new ExampleBase(pick(this.#data, rest)) as unknown as Example<Partial<T>>;
  }

  /** The value of `key`. */
  get<K extends keyof T>(key: K): T[K] {
    return this.#data[key];
  }

  /** True when the example has the field. */
  has(key: string): boolean {
    return Object.hasOwn(this.#data, key);
  }

  /** Field names in insertion order. */
  keys(): string[] {
    return Object.keys(this.#data);
  }

  /** A copy with some fields changed or added. */
  with<U extends Fields>(patch: U): Example<Omit<T, keyof U> & U> {
    return new ExampleBase(
      { ...this.#data, ...patch },
      this.#inputKeys as string[] | undefined,
    ) as unknown as Example<Omit<T, keyof U> & U>;
  }

  /** A copy without the given fields. */
  without<K extends keyof T & string>(...keys: K[]): Example<Omit<T, K>> {
    const drop = new Set<string>(keys);
    const rest = Object.keys(this.#data).filter((k) => !drop.has(k));
    const inputs = this.#inputKeys?.filter((k) => !drop.has(k));
    return new ExampleBase(pick(this.#data, rest), inputs) as unknown as Example<Omit<T, K>>;
  }

  /** The plain field values (a fresh object). */
  toJSON(): T {
    return { ...this.#data };
  }

  private requireInputs(): readonly (keyof T & string)[] {
    if (!this.#inputKeys) {
      throw new DspyError('DATASET_INVALID', 'This example has no input keys.', {
        details: { fix: "Mark its inputs with example.withInputs('question', ...)." },
      });
    }
    return this.#inputKeys;
  }
}

function pick<T extends Fields>(data: Readonly<T>, keys: readonly string[]): T {
  const out: Fields = {};
  for (const k of keys) if (Object.hasOwn(data, k)) out[k] = data[k];
  return out as T;
}

/**
 * The input values of an example as a plain object: `example.inputs().toJSON()`, without making
 * the intermediate `Example` when it is one of ours (evaluation does this once per example).
 */
export function inputValues(example: {
  readonly inputKeys: readonly string[] | undefined;
  inputs(): { toJSON(): object };
}): object {
  if (!(example instanceof ExampleBase) || !example.inputKeys) return example.inputs().toJSON();
  const out: Fields = {};
  for (const k of example.inputKeys) if (example.has(k)) out[k] = example.get(k);
  return out;
}

/** An example whose fields are also readable as properties. */
export type Example<T extends Fields = Fields> = ExampleBase<T> & Readonly<T>;

/** Constructor of {@link Example}. */
export interface ExampleConstructor {
  new <T extends Fields>(data: T, inputKeys?: readonly (keyof T & string)[]): Example<T>;
  readonly prototype: ExampleBase;
}

/** Creates an example. See {@link ExampleBase}. */
export const Example = ExampleBase as unknown as ExampleConstructor;
