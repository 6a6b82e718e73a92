import type { Demo } from '../adapters/types.js';
import type { LanguageModel } from '../lm/types.js';
import type { SignatureSpec } from '../signature/spec.js';

/**
 * The learnable state of one predictor: what optimizers change and artifacts freeze.
 * Plain JSON.
 */
export interface PredictorState {
  /** Signature name and hash at the time the state was taken. */
  readonly signature: { readonly name: string; readonly hash: string };
  readonly instructions: string;
  readonly demos: readonly Demo[];
  /** Per-field description/prefix overrides (optimizers and DSPy imports may set them). */
  readonly fields?: Readonly<Record<string, { readonly description?: string; readonly prefix?: string }>>;
  /** LM settings without secrets (model, temperature, ...). */
  readonly lm?: Readonly<Record<string, unknown>>;
}

/**
 * Something that calls an LM with a signature and holds learnable state: `Predict`, and the
 * predictors inside `ChainOfThought`, `ReAct`, decorated signature methods, ...
 * Optimizers see programs only through this interface.
 */
export interface Predictor {
  /** Marks predictors for `namedPredictors()`; always true. */
  readonly isPredictor: true;
  /** The signature as it is now (instructions included). */
  signature: SignatureSpec<object, object>;
  /** Demos shown before the inputs. */
  demos: Demo[];
  /** The LM of this predictor; falls back to the settings' LM. */
  lm: LanguageModel | undefined;
  /** The state to save. */
  dumpState(): PredictorState;
  /** Restores a state (instructions, demos, field overrides). */
  loadState(state: PredictorState): void;
  /** Clears demos and restores the original instructions. */
  reset(): void;
}

/** One predictor call recorded while a program runs (for bootstrapping demos). */
export interface TraceEntry {
  readonly predictor: Predictor;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** True when `value` is a {@link Predictor}. */
export function isPredictor(value: unknown): value is Predictor {
  return (
    typeof value === 'object' && value !== null && (value as { isPredictor?: unknown }).isPredictor === true
  );
}
