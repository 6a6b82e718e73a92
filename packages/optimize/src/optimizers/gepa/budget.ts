/** GEPA's `auto` run modes. */
export type GepaAuto = 'light' | 'medium' | 'heavy';

/** Candidates DSPy assumes per `auto` mode when it turns the mode into a metric-call budget. */
export const GEPA_AUTO_CANDIDATES: Readonly<Record<GepaAuto, number>> = { light: 6, medium: 12, heavy: 18 };

/**
 * The metric-call budget of an `auto` mode, as DSPy computes it: with N = MIPROv2's trial count
 * for P predictors and n candidates, V the valset size, a minibatch of 35 and a full evaluation
 * every 5 trials: V + 5n + 35N + (⌊(N + 1) / 5⌋ + 1 + [N < 5]) · V.
 */
export function gepaAutoBudget(auto: GepaAuto, predictors: number, valSize: number): number {
  const n = GEPA_AUTO_CANDIDATES[auto];
  const trials = Math.floor(Math.max(2 * (predictors * 2) * Math.log2(n), 1.5 * n));
  const fulls = Math.floor((trials + 1) / 5) + 1 + (trials < 5 ? 1 : 0);
  return valSize + n * 5 + trials * 35 + fulls * valSize;
}
