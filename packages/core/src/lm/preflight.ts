import type { Predictor } from '../modules/types.js';
import { currentSettings } from '../settings.js';
import type { LanguageModel } from './types.js';

/** What {@link preflightProgram} reads of a program: its predictors, when it can list them. */
export interface PredictorSource {
  namedPredictors?(): Iterable<readonly [string, Predictor]>;
}

/**
 * Runs `preflight()` once on every LM that `program` will call (each predictor's own LM, else
 * the configured one), so a missing API key or endpoint is reported before the first example
 * instead of once per example. Sends no request; throws the first `LM_AUTH` / `LM_CONFIG`.
 *
 * @example
 * ```ts
 * await preflightProgram(qa); // before a long run of qa
 * ```
 */
export async function preflightProgram(program: PredictorSource): Promise<void> {
  const fallback = currentSettings().lm;
  const lms = new Set<LanguageModel>();
  for (const [, predictor] of program.namedPredictors?.() ?? []) {
    const lm = predictor.lm ?? fallback;
    if (lm) lms.add(lm);
  }
  for (const lm of lms) await lm.preflight?.();
}
