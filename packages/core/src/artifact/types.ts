import type { PredictorState } from '../modules/types.js';
import type { JsonValue } from '../signature/spec.js';

/** Size and content hash of a dataset, as recorded in provenance. */
export interface DatasetFingerprint {
  readonly size: number;
  /** SHA-256 (hex, first 16 chars) of the canonical JSON of the examples. */
  readonly hash?: string;
}

/**
 * Where a compiled program came from. Optimizers fill it in; any extra JSON (an optimizer
 * report summary, ...) may be added under other keys.
 */
export interface ArtifactProvenance {
  readonly optimizer?: { readonly name: string; readonly options?: Readonly<Record<string, JsonValue>> };
  readonly metric?: string;
  readonly trainset?: DatasetFingerprint;
  readonly valset?: DatasetFingerprint;
  /** Named scores (0..100), e.g. `{ baseline: 41, best: 63 }`. */
  readonly scores?: Readonly<Record<string, number | null>>;
  readonly seed?: number | null;
  /** Package and runtime versions (`@dspy-ts/core`, `node`, ...). */
  readonly versions?: Readonly<Record<string, string>>;
  /** ISO 8601 time the artifact was made. */
  readonly createdAt?: string;
  readonly [extra: string]: unknown;
}

/**
 * The frozen artifact: one JSON document (see `artifact.schema.json`). Format version 2 is
 * version 1 plus media values (`{ "$media": "image", ... }`) in demos; an artifact without media
 * is written as version 1, which older readers load.
 */
export interface Artifact {
  readonly format: 'dspy-ts.artifact';
  readonly formatVersion: 1 | 2;
  /** The program's name (its class name unless given). */
  readonly program: string;
  /** Learnable state of every predictor, by property path. */
  readonly predictors: Readonly<Record<string, PredictorState>>;
  /** Program-level LM settings, never secrets. */
  readonly lm?: Readonly<Record<string, unknown>>;
  readonly provenance?: ArtifactProvenance;
}
