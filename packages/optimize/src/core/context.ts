import {
  DspyError,
  type EvaluationRunner,
  evaluate,
  isDspyError,
  type Prediction,
  type Predictor,
} from '@dspy-ts/core';
import { tracedTrial } from '@dspy-ts/core/internal';
import { type Spend, spendDelta, ZERO_SPEND } from './budget.js';
import type { Checkpoint } from './checkpoint.js';
import {
  type CompilableProgram,
  demoCounts,
  programState,
  runProgram,
  shortHash,
  type TrainExample,
  type TrainMetric,
} from './program.js';
import type { ProgressSink } from './progress.js';
import { addPhase, type CandidateRecord, type PhaseUsage, type TrialRecord, ZERO_PHASE } from './report.js';
import type { Rng } from './rng.js';

/** Per-example outcome of {@link CompileContext.evaluateOn}. */
export interface EvalOutcome {
  /** Mean score 0..100. */
  readonly score: number;
  /** Each example's metric score (0..1), in devset order. */
  readonly scores: readonly number[];
  /** Metric feedback per example, when the metric gave any. */
  readonly feedback?: readonly (string | undefined)[];
}

/** What {@link CompileContext} is built from (the `Optimizer` base does this). */
export interface CompileContextInit {
  readonly optimizer: string;
  readonly rng: Rng;
  readonly trainset: readonly TrainExample[];
  readonly valset: readonly TrainExample[];
  readonly metric: TrainMetric | undefined;
  readonly metricFailure: () => DspyError | undefined;
  readonly checkpoint: Checkpoint;
  readonly progress: ProgressSink;
  readonly signal: AbortSignal | undefined;
  readonly numThreads: number;
  readonly maxErrors: number;
  /** Where candidate evaluations run (undefined: this process). */
  readonly runner: EvaluationRunner | undefined;
  /** Current cumulative spend of this run (from the budget tracker). */
  readonly spend: () => Spend;
}

/**
 * Everything an optimizer's search uses while it runs: the seeded RNG, the data, the guarded
 * metric, checkpointed steps and evaluations, phase accounting, candidates and trials for the
 * report, the progress bar, and the best program so far (returned when a budget stops the run).
 * Optimizers get one from the `Optimizer` base class in `run(student, ctx)`.
 */
export class CompileContext {
  readonly optimizer: string;
  readonly rng: Rng;
  readonly trainset: readonly TrainExample[];
  readonly valset: readonly TrainExample[];
  readonly checkpoint: Checkpoint;
  readonly progress: ProgressSink;
  readonly signal: AbortSignal | undefined;
  readonly numThreads: number;
  readonly maxErrors: number;
  readonly runner: EvaluationRunner | undefined;
  readonly candidates: CandidateRecord[] = [];
  readonly trials: TrialRecord[] = [];
  readonly notes: string[] = [];
  readonly phases = new Map<string, PhaseUsage>();
  /** Steps whose result came from the checkpoint. */
  resumedSteps = 0;
  /** The budget error that stopped the run, once one did. */
  budgetError: DspyError | undefined;
  #best: { program: CompilableProgram; score: number | undefined; id: number | undefined } | undefined;
  readonly #metric: TrainMetric | undefined;
  readonly #metricFailure: () => DspyError | undefined;
  readonly #spend: () => Spend;

  constructor(init: CompileContextInit) {
    this.optimizer = init.optimizer;
    this.rng = init.rng;
    this.trainset = init.trainset;
    this.valset = init.valset;
    this.#metric = init.metric;
    this.#metricFailure = init.metricFailure;
    this.checkpoint = init.checkpoint;
    this.progress = init.progress;
    this.signal = init.signal;
    this.numThreads = init.numThreads;
    this.maxErrors = init.maxErrors;
    this.runner = init.runner;
    this.#spend = init.spend;
  }

  /** The metric (checked as results come); throws when the optimizer was built without one. */
  get metric(): TrainMetric {
    if (!this.#metric) {
      throw new DspyError('OPTIMIZER_INVALID', `${this.optimizer} needs a metric here.`, {
        details: { where: `${this.optimizer}.metric`, fix: 'Pass { metric } to the optimizer.' },
      });
    }
    return this.#metric;
  }

  /** True when a metric was given. */
  get hasMetric(): boolean {
    return this.#metric !== undefined;
  }

  /** Throws the metric's first failure, if any (metrics are checked as their results come). */
  throwMetricFailure(): void {
    const failure = this.#metricFailure();
    if (failure) throw failure;
  }

  /** Throws `ABORTED` when the caller's signal fired. */
  throwIfAborted(): void {
    if (this.signal?.aborted) {
      throw new DspyError('ABORTED', `${this.optimizer} was interrupted.`, {
        cause: this.signal.reason,
        details: {
          where: `${this.optimizer}.compile`,
          fix: 'Run compile again with { resume: true, checkpoint } to continue where it stopped.',
        },
      });
    }
  }

  /** Runs `fn` as the named phase, adding its LM spend and wall time to that phase (phases may repeat). */
  async phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const before = this.#spend();
    const started = performance.now();
    try {
      return await fn();
    } finally {
      const d = spendDelta(this.#spend(), before);
      const usage: PhaseUsage = { ...d, wallMs: performance.now() - started };
      this.phases.set(name, addPhase(this.phases.get(name) ?? ZERO_PHASE, usage));
    }
  }

  /**
   * Runs a unit of work once per key: on resume its recorded JSON result is returned instead;
   * otherwise `fn` runs and its result is appended to the checkpoint. Results must be plain JSON.
   */
  async step<T>(key: string, fn: () => Promise<T>): Promise<T> {
    if (this.checkpoint.has(key)) {
      this.resumedSteps += 1;
      return this.checkpoint.get<T>(key) as T;
    }
    this.throwIfAborted();
    const value = await fn();
    this.throwIfAborted();
    await this.checkpoint.put(key, value);
    return value;
  }

  /**
   * Evaluates `program` on `devset` (default: the valset) with bounded concurrency through
   * core's `evaluate`, checkpointed under a key made of `key`, the program's state and the
   * devset. A budget error or an abort inside stops the evaluation and is thrown.
   */
  async evaluateOn(
    program: CompilableProgram,
    key: string,
    devset: readonly TrainExample[] = this.valset,
  ): Promise<EvalOutcome> {
    const fullKey = `eval:${key}:${shortHash(programState(program))}:${shortHash(devset.map((e) => e.toJSON()))}`;
    return tracedTrial(this.optimizer, key, devset.length, () =>
      this.evaluateStep(program, fullKey, key, devset),
    );
  }

  /** {@link CompileContext.evaluateOn} without its span. */
  private evaluateStep(
    program: CompilableProgram,
    fullKey: string,
    key: string,
    devset: readonly TrainExample[],
  ): Promise<EvalOutcome> {
    return this.step(fullKey, async () => {
      const stop = new AbortController();
      const onAbort = () => stop.abort(this.signal?.reason);
      this.signal?.addEventListener('abort', onAbort, { once: true });
      const guarded = {
        forward: async (inputs: Record<string, unknown>): Promise<Prediction> => {
          try {
            return await runProgram(program, inputs);
          } catch (err) {
            if (isBudgetStop(err)) {
              this.budgetError ??= DspyError.from(err);
              stop.abort(err);
            }
            throw err;
          }
        },
        namedPredictors: (): Iterable<readonly [string, Predictor]> => program.namedPredictors(),
      };
      try {
        // On a runner the program travels as its artifact (the workers count their own spend), and
        // every example is queued at once: the workers' concurrency bounds the work.
        const target = this.runner ? (program as unknown as typeof guarded) : guarded;
        const report = await evaluate(target, devset, this.metric, {
          ...(this.runner ? { runner: this.runner } : { concurrency: this.numThreads }),
          maxErrors: this.maxErrors,
          progress: false,
          handleSigint: false,
          signal: stop.signal,
          name: `${this.optimizer}:${key}`,
        });
        this.throwMetricFailure();
        // On a runner the workers' budget refusals come back in the report.
        if (report.budgetExhausted) this.budgetError ??= report.budgetExhausted;
        if (this.budgetError) throw this.budgetError;
        if (report.interrupted) this.throwIfAborted();
        const feedback = report.results.map((r) => r.feedback);
        const outcome: EvalOutcome = {
          score: report.score,
          scores: report.results.map((r) => r.score),
          ...(feedback.some((f) => f !== undefined) ? { feedback } : {}),
        };
        return outcome;
      } catch (err) {
        this.throwMetricFailure();
        if (this.budgetError) throw this.budgetError;
        throw err;
      } finally {
        this.signal?.removeEventListener('abort', onAbort);
      }
    });
  }

  /**
   * Evaluates a candidate on the valset, records it (and a trial) for the report, and keeps
   * it as the best so far when its score is strictly higher. Returns the score (0..100).
   */
  async evaluateCandidate(
    program: CompilableProgram,
    id: number,
    label: string,
    extra?: Record<string, unknown>,
  ): Promise<number> {
    const { score } = await this.evaluateOn(program, `candidate:${id}`);
    this.recordCandidate({ id, label, score, demos: demoCounts(program), ...(extra ? { extra } : {}) });
    this.recordTrial(id, score);
    this.offerBest(program, score, id);
    return score;
  }

  /** Adds a candidate to the report. */
  recordCandidate(candidate: CandidateRecord): void {
    this.candidates.push(candidate);
  }

  /** Adds a trial (one scored step of the search) to the report and moves the progress bar. */
  recordTrial(candidateId: number, score: number): void {
    const prevBest = this.trials.at(-1)?.best ?? Number.NEGATIVE_INFINITY;
    const best = Math.max(prevBest, score);
    this.trials.push({ trial: this.trials.length + 1, candidateId, score, best });
    this.progress.update(this.trials.length, best);
  }

  /** Keeps `program` as the best so far when `score` is strictly higher (or nothing is kept yet). */
  offerBest(program: CompilableProgram, score: number | undefined, id?: number): void {
    const cur = this.#best;
    const better =
      cur === undefined || (score !== undefined && (cur.score === undefined || score > cur.score));
    if (better) this.#best = { program, score, id };
  }

  /** The best program so far, its score and candidate id. */
  get best(): { program: CompilableProgram; score: number | undefined; id: number | undefined } | undefined {
    return this.#best;
  }

  /** Spend so far in this run. */
  spend(): Spend {
    return this.#spend?.() ?? ZERO_SPEND;
  }
}

/** True for the errors that mean "the budget is spent". */
export function isBudgetStop(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if (isDspyError(e, 'BUDGET_EXHAUSTED')) return true;
  }
  return false;
}
