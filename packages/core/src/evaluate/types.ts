import type { Prediction } from '../data/prediction.js';
import type { DspyError } from '../errors.js';
import type { UsageSummary } from '../lm/usage.js';
import type { Predictor } from '../modules/types.js';

/**
 * What evaluation needs of an example; every `Example<T>` fits. (A structural type, because
 * `Example<{ question: string }>` is not assignable to the wide `Example`.)
 */
export interface ExampleLike {
  readonly inputKeys: readonly string[] | undefined;
  inputs(): { toJSON(): object };
  toJSON(): object;
  keys(): string[];
}

/** What evaluation needs of a prediction; every `Prediction<O>` fits. */
export interface PredictionLike {
  toJSON(): object;
}

/**
 * What `evaluate` and the artifact functions need of a program: `Module`, `Predict` and any
 * object with the same methods fit. `forward` receives the example's inputs as a plain object.
 */
export interface ProgramLike<P extends PredictionLike = Prediction> {
  forward(inputs: never): Promise<P>;
  /** Every predictor by property path (`generate.predict`); needed for artifacts only. */
  namedPredictors?(): Iterable<readonly [string, Predictor]>;
}

/** The outcome of one example. */
export interface EvaluationResult<
  E extends ExampleLike = ExampleLike,
  P extends PredictionLike = PredictionLike,
> {
  /** Position of the example in the devset. */
  readonly index: number;
  readonly example: E;
  /** Undefined when the program failed on this example (kept when only the metric failed). */
  readonly prediction: P | undefined;
  /** The metric's score in [0, 1], or `failureScore` when the example failed. */
  readonly score: number;
  /** Why the example failed: the program's error, or a `METRIC_ERROR` naming the metric and index. */
  readonly error?: Error;
  /** Textual feedback from metrics returning `{ score, feedback }`. */
  readonly feedback?: string;
}

/** What `evaluate` returns. */
export interface EvaluationReport<
  E extends ExampleLike = ExampleLike,
  P extends PredictionLike = PredictionLike,
> {
  /** Mean score over the devset times 100 (0..100); failures count as `failureScore`. */
  readonly score: number;
  /** One entry per evaluated example, in devset order. */
  readonly results: readonly EvaluationResult<E, P>[];
  /** Number of failed examples: the program threw, or the metric threw, timed out or gave no valid score. */
  readonly errors: number;
  readonly elapsedMs: number;
  /**
   * True when an abort signal or Ctrl-C stopped the run: `results` then holds only the
   * examples that finished and `score` is their mean. Also true on the partial report an
   * `EVALUATE_ERROR_BUDGET` error carries in `details.partial`.
   */
  readonly interrupted: boolean;
  /**
   * The `BUDGET_EXHAUSTED` error, when a budget (`maxCost`, `maxTokens`, `maxLMCalls`) stopped
   * the run: `results` then holds the examples that finished (`interrupted` is true).
   */
  readonly budgetExhausted?: DspyError;
  /** What the run's LM calls spent, when it ran with a budget. */
  readonly usage?: UsageSummary;
}
