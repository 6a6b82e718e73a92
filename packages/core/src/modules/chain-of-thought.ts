import type { Prediction } from '../data/prediction.js';
import { REASONING_SCHEMA, type Reasoning } from '../signature/code-reasoning.js';
import { type InputsOf, type OutputsOf, type SignatureTarget, specOf } from '../signature/index.js';
import type { FieldSpec, SignatureSpec } from '../signature/spec.js';
import type { CallConfig, PredictOptions } from './config.js';
import type { AsFields, Fields } from './fields.js';
import { ModuleBase } from './module.js';
import { Predict, type PredictBase } from './predict.js';
import type { StreamEvent } from './stream-events.js';

/** The reasoning output's type. */
export type WithReasoning<O> = { reasoning: Reasoning } & O;

/** Options of {@link ChainOfThought}. */
export interface ChainOfThoughtOptions extends PredictOptions {
  /** Replaces the default `reasoning` field (its name must stay `reasoning` for typing). */
  readonly rationaleField?: Partial<Omit<FieldSpec, 'name'>>;
}

/**
 * The `reasoning` output ChainOfThought adds, with DSPy's prefix and no description. Its type is
 * `Reasoning` (shown to the model as a string): the prompt still asks for it, and when a
 * reasoning model returns its own reasoning, the field takes that instead of the text.
 */
export const REASONING_FIELD: FieldSpec = Object.freeze({
  name: 'reasoning',
  schema: REASONING_SCHEMA,
  typeText: 'string',
  prefix: "Reasoning: Let's think step by step in order to",
});

/** The spec of `target` with a `reasoning` output before the others. @internal */
export function withReasoning(
  target: SignatureTarget,
  field?: Partial<Omit<FieldSpec, 'name'>>,
): SignatureSpec<object, object> {
  const spec = specOf(target) as SignatureSpec<object, object>;
  return spec.withField('output', { ...REASONING_FIELD, ...field, name: 'reasoning' }, 'start');
}

/**
 * Asks the model to reason step by step before answering: a `Predict` over the signature with
 * a `reasoning` output (type `Reasoning`: the model's own reasoning when a reasoning model
 * returns it, else the text it wrote) placed before the others. Its predictor is at path `predict`.
 */
export class ChainOfThoughtBase<I extends object = Fields, O extends object = Fields> extends ModuleBase<
  I,
  Prediction<AsFields<WithReasoning<O>>>
> {
  /** The predictor over the extended signature. */
  readonly predict: PredictBase<I, WithReasoning<O>>;

  constructor(target: SignatureTarget, opts: ChainOfThoughtOptions = {}) {
    super();
    const { rationaleField, ...rest } = opts;
    this.predict = new Predict(withReasoning(target, rationaleField), rest) as unknown as PredictBase<
      I,
      WithReasoning<O>
    >;
  }

  /** `ChainOfThought(QA)`: the name used in callbacks and errors. */
  describe(): string {
    return `ChainOfThought(${this.predict.signature.name})`;
  }

  /** Runs the predictor; the prediction carries `reasoning` and the signature's outputs. */
  override forward(inputs: I, config?: CallConfig): Promise<Prediction<AsFields<WithReasoning<O>>>> {
    return this.predict.forward(inputs, config);
  }

  /** Streams the predictor's field deltas (`reasoning` first), then the prediction. */
  stream(inputs: I, config?: CallConfig): AsyncIterable<StreamEvent<AsFields<WithReasoning<O>>>> {
    return this.predict.stream(inputs, config) as unknown as AsyncIterable<
      StreamEvent<AsFields<WithReasoning<O>>>
    >;
  }
}

/** Constructor of {@link ChainOfThought}: infers input and output types from the signature. */
export interface ChainOfThoughtConstructor {
  new <T extends SignatureTarget>(
    target: T,
    opts?: ChainOfThoughtOptions,
  ): ChainOfThoughtBase<InputsOf<T>, OutputsOf<T>>;
  readonly prototype: ChainOfThoughtBase;
}

/**
 * Chain of thought over a signature.
 *
 * @example
 * ```ts
 * const cot = new ChainOfThought('question -> answer');
 * const pred = await cot.forward({ question: 'Why is the sky blue?' });
 * pred.reasoning; pred.answer;
 * ```
 */
Object.defineProperty(ChainOfThoughtBase, 'name', { value: 'ChainOfThought' });

export const ChainOfThought = ChainOfThoughtBase as unknown as ChainOfThoughtConstructor;
/** A {@link ChainOfThoughtBase} over inputs `I` and outputs `O`. */
export type ChainOfThought<I extends object = Fields, O extends object = Fields> = ChainOfThoughtBase<I, O>;
