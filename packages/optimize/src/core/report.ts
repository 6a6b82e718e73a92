/** Why a compile run ended. */
export type StopReason = 'completed' | 'budget' | 'stopAtScore' | 'aborted';

/** LM spend of one phase (or of the whole run). Cache hits cost nothing and are counted apart. */
export interface PhaseUsage {
  /** LM calls that reached the model (cache misses). */
  readonly lmCalls: number;
  /** Calls answered by the cache (free). */
  readonly cacheHits: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
  /** US dollars, when the model's price is known. */
  readonly cost: number;
  /** Wall time in milliseconds (not part of any artifact). */
  readonly wallMs: number;
}

/** One candidate program an optimizer built and scored. */
export interface CandidateRecord {
  /** Stable id within the run (BootstrapRS uses DSPy's seeds: -3, -2, -1, 0, 1, ...). */
  readonly id: number;
  /** What the candidate is (`zero-shot`, `labeled`, `bootstrap seed 3`, ...). */
  readonly label: string;
  /** Score 0..100 on the evaluation set, or undefined when it was not evaluated. */
  readonly score: number | undefined;
  /** Demos per predictor path. */
  readonly demos: Readonly<Record<string, number>>;
  /** Rank by score (1 = best), filled in when the run ends. */
  readonly rank?: number;
  /** Anything else the optimizer wants to show. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** One step of the search in the order it happened (for the score-over-trials chart). */
export interface TrialRecord {
  readonly trial: number;
  readonly candidateId: number;
  readonly score: number;
  /** Best score so far after this trial. */
  readonly best: number;
}

/** What a compile run tried, scored and spent. Saved by `saveReport` as JSON, text and SVG. */
export interface CompileReport {
  readonly optimizer: string;
  /** Options as given (functions replaced by their names). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly stoppedBy: StopReason;
  /** Why the budget stopped the run, when it did. */
  readonly stopDetail?: string;
  readonly trainSize: number;
  readonly valSize: number;
  /** Score of the chosen program (0..100), when it was evaluated. */
  readonly bestScore: number | undefined;
  readonly bestCandidateId: number | undefined;
  /** Score of the unchanged student, when it was evaluated. */
  readonly baselineScore: number | undefined;
  readonly candidates: readonly CandidateRecord[];
  readonly trials: readonly TrialRecord[];
  /** Spend per phase, in the order the phases ran. */
  readonly phases: Readonly<Record<string, PhaseUsage>>;
  readonly total: PhaseUsage;
  /** LM calls Python DSPy's algorithm makes for the same settings without a cache, and how that is counted. */
  readonly dspyImpliedCalls: { readonly calls: number; readonly how: string };
  /** Steps taken from a checkpoint instead of recomputed. */
  readonly resumedSteps: number;
  /** Free-form notes (warnings about the data, skipped work, ...). */
  readonly notes: readonly string[];
}

/** A zero {@link PhaseUsage}. */
export const ZERO_PHASE: PhaseUsage = Object.freeze({
  lmCalls: 0,
  cacheHits: 0,
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  cost: 0,
  wallMs: 0,
});

/** Adds two {@link PhaseUsage} records. */
export function addPhase(a: PhaseUsage, b: PhaseUsage): PhaseUsage {
  return {
    lmCalls: a.lmCalls + b.lmCalls,
    cacheHits: a.cacheHits + b.cacheHits,
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
    cost: a.cost + b.cost,
    wallMs: a.wallMs + b.wallMs,
  };
}

/** Ranks candidates by score (ties keep their order; unevaluated last). */
export function rankCandidates(candidates: readonly CandidateRecord[]): CandidateRecord[] {
  const order = candidates
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (b.c.score ?? -1) - (a.c.score ?? -1) || a.i - b.i);
  const rank = new Map(order.map((o, r) => [o.i, r + 1]));
  return candidates.map((c, i) => ({ ...c, rank: rank.get(i) ?? candidates.length }));
}
