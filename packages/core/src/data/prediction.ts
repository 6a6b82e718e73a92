import type { Usage } from '../lm/types.js';
import { ZERO_USAGE } from '../lm/types.js';

type Fields = Record<string, unknown>;

/** Options of a {@link PredictionBase}. */
export interface PredictionInit<O extends Fields> {
  /** Every completion's outputs, the first being the prediction's own (for `n > 1`). */
  readonly completions?: readonly O[];
  /** Tokens of the LM calls made for this prediction (cache hits count zero). */
  readonly usage?: Usage;
  /** Cost in US dollars of those calls, when known. */
  readonly cost?: number;
  /** Number of LM calls made for this prediction. */
  readonly lmCalls?: number;
}

/**
 * What a module returns: its output fields as properties, every completion, and the usage
 * of the LM calls that produced it.
 */
export class PredictionBase<O extends Fields = Fields> {
  readonly #outputs: Readonly<O>;
  /** Every completion's outputs (length 1 unless `n > 1`). */
  readonly completions: readonly Readonly<O>[];
  readonly usage: Usage;
  readonly cost: number;
  readonly lmCalls: number;

  constructor(outputs: O, init: PredictionInit<O> = {}) {
    const own = Object.freeze({ ...outputs });
    this.#outputs = own;
    // The completion the outputs came from shares their frozen copy.
    this.completions = Object.freeze(
      (init.completions ?? [outputs]).map((c) => (c === outputs ? own : Object.freeze({ ...c }))),
    );
    this.usage = init.usage ?? ZERO_USAGE;
    this.cost = init.cost ?? 0;
    this.lmCalls = init.lmCalls ?? 0;
    for (const [k, v] of Object.entries(outputs)) {
      if (!(k in this)) Object.defineProperty(this, k, { value: v, enumerable: true });
    }
  }

  /** The value of an output field. */
  get<K extends keyof O>(key: K): O[K] {
    return this.#outputs[key];
  }

  /** Output field names. */
  keys(): string[] {
    return Object.keys(this.#outputs);
  }

  /** The output values (a fresh object). */
  toJSON(): O {
    return { ...this.#outputs };
  }
}

/**
 * The declared keys of `O` as read-only properties: an index signature (`Record<string, unknown>`)
 * adds none, so a misspelt field name is a compile error rather than an `unknown`.
 */
export type OutputProperties<O extends Fields> = {
  readonly [K in keyof O as string extends K ? never : number extends K ? never : K]: O[K];
};

/**
 * A prediction whose declared output fields are also readable as properties
 * (`pred.answer`). A wide `Prediction` (outputs not known at compile time) has none: read its
 * fields with `get(name)`, `keys()` or `toJSON()`.
 */
export type Prediction<O extends Fields = Fields> = PredictionBase<O> & OutputProperties<O>;

/** Constructor of {@link Prediction}. */
export interface PredictionConstructor {
  new <O extends Fields>(outputs: O, init?: PredictionInit<O>): Prediction<O>;
  readonly prototype: PredictionBase;
}

/** Creates a prediction. See {@link PredictionBase}. */
export const Prediction = PredictionBase as unknown as PredictionConstructor;
