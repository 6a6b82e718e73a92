/** MIPROv2's `auto` run modes. */
export type MiproAuto = 'light' | 'medium' | 'heavy';

/** Candidates and validation-set size per `auto` mode (DSPy's values). */
export const MIPRO_AUTO: Readonly<Record<MiproAuto, { readonly n: number; readonly valSize: number }>> = {
  light: { n: 6, valSize: 100 },
  medium: { n: 12, valSize: 300 },
  heavy: { n: 18, valSize: 1000 },
};

/**
 * MIPROv2's trial count: `floor(max(2 · P · log2(n), 1.5 · n))` where P = predictors × 2 with
 * demos (instruction and demo-set variables), or predictors alone when instruction-only, and n
 * the number of candidates. Light / medium / heavy with one predictor and demos: 10 / 18 / 27.
 */
export function miproTrials(predictors: number, zeroShot: boolean, n: number): number {
  const vars = zeroShot ? predictors : predictors * 2;
  return Math.max(1, Math.floor(Math.max(2 * vars * Math.log2(Math.max(n, 1)), 1.5 * n)));
}

/**
 * Evaluation calls (program runs) of MIPROv2's search as DSPy counts them: the baseline on the
 * valset, `trials` minibatch evaluations, and a full evaluation every `fullEvalSteps` trials
 * plus one at the end.
 */
export function miproEvalRuns(
  valSize: number,
  trials: number,
  minibatchSize: number,
  fullEvalSteps: number,
): number {
  const v = valSize;
  const m = Math.min(minibatchSize, v);
  if (v <= minibatchSize) return v * trials;
  const fulls = Math.floor((trials + 1) / fullEvalSteps) + 1 + (trials < fullEvalSteps ? 1 : 0);
  return v + trials * m + fulls * v;
}
