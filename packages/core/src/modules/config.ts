import type { Adapter, Demo, HistoryTurn } from '../adapters/types.js';
import type { LanguageModel, LMRequest } from '../lm/types.js';

/** LM request parameters a predictor merges into every call (per-call values win). */
export interface LMParams {
  /** Number of completions; the prediction's `completions` has one per choice. */
  readonly n?: number;
  readonly temperature?: number;
  readonly maxTokens?: number;
  /** Distinct ids give distinct samples of the same prompt (and distinct cache entries). */
  readonly rolloutId?: string | number;
  /** `false` skips the LM cache. */
  readonly cache?: boolean;
  readonly stop?: readonly string[];
  /** Provider-specific parameters passed through. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Per-call configuration of a predictor (the second argument of `forward` and `stream`). */
export interface CallConfig extends LMParams {
  /** Demos for this call instead of the predictor's own. */
  readonly demos?: readonly Demo[];
  /** Instructions for this call instead of the predictor's own. */
  readonly instructions?: string;
  /** The LM for this call (wins over the predictor's and the settings'). */
  readonly lm?: LanguageModel;
  /** The adapter for this call. */
  readonly adapter?: Adapter;
  /** Earlier turns of a conversation, rendered before the inputs. */
  readonly history?: readonly HistoryTurn[];
  /** Aborts the LM call. */
  readonly signal?: AbortSignal;
}

/** Options of `new Predict(target, opts)` (and of the other built-in modules). */
export interface PredictOptions extends LMParams {
  /** Initial demos. */
  readonly demos?: readonly Demo[];
  /** Instructions replacing the signature's own. */
  readonly instructions?: string;
  /** The LM of this predictor (else the settings' LM). */
  readonly lm?: LanguageModel;
  /** The adapter of this predictor (else the settings' adapter, else `ChatAdapter`). */
  readonly adapter?: Adapter;
}

const PARAM_KEYS = ['n', 'temperature', 'maxTokens', 'rolloutId', 'cache', 'stop', 'extra'] as const;

/** The LM parameters present in `source` (a fresh object; undefined values dropped). @internal */
export function pickParams(source: LMParams | undefined): Partial<Omit<LMRequest, 'messages'>> {
  const out: Record<string, unknown> = {};
  if (!source) return out;
  for (const k of PARAM_KEYS) if (source[k] !== undefined) out[k] = source[k];
  return out;
}

/** True when `config` carries any LM parameter. @internal */
export function hasParams(config: LMParams): boolean {
  for (const k of PARAM_KEYS) if (config[k] !== undefined) return true;
  return false;
}
