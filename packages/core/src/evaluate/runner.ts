import { inputValues } from '../data/example.js';
import type { BudgetLedger } from '../lm/budget.js';
import type { ActiveBudget } from '../lm/usage.js';
import { PredictBase } from '../modules/predict.js';
import { runWithTrace } from '../modules/trace.js';
import type { TraceEntry } from '../modules/types.js';
import type { Metric } from './metric.js';
import { type ScoreRules, scoreOne } from './score.js';
import type { ExampleLike, PredictionLike, ProgramLike } from './types.js';

/** One evaluation handed to an {@link EvaluationRunner}. */
export interface RunnerRun {
  readonly program: ProgramLike<PredictionLike>;
  readonly devset: readonly ExampleLike[];
  readonly metric: Metric<never, never>;
  /** How the metric's results are checked (range, timeout). */
  readonly rules: ScoreRules;
  /** Aborted when the run stops early (interrupted, or out of its error budget). */
  readonly signal: AbortSignal;
  /** Record each example's predictor calls and pass them to the metric. */
  readonly trace: boolean;
  /** The name of the run (for logs and queue labels). */
  readonly name: string;
  /** The budget the run's LM calls draw on, when one is in scope; a runner hands it to its workers. */
  readonly budget?: ActiveBudget;
}

/**
 * What happened to one example: a prediction with its score, or an error (the program's, when
 * there is no prediction; the metric's otherwise).
 */
export type RunnerOutcome =
  | { readonly prediction: PredictionLike; readonly score: number; readonly feedback?: string }
  | { readonly prediction?: PredictionLike; readonly error: Error };

/** An open evaluation on a runner: `evaluate` asks for each example and closes it at the end. */
export interface RunnerSession {
  /** Examples `evaluate` keeps in flight at once when its `concurrency` option is not given. */
  readonly concurrency?: number;
  /** Runs one example of the devset (by index); never rejects for the program's or metric's errors. */
  runExample(index: number): Promise<RunnerOutcome>;
  /** Ends the session; work still queued is removed. Called once, however the run ended. */
  close(): Promise<void>;
}

/**
 * Where `evaluate` runs its examples: in this process ({@link localRunner}, the default), or
 * elsewhere (`QueueRunner` of `@dspy-ts/distributed` fans them out to workers).
 */
export interface EvaluationRunner {
  open(run: RunnerRun): Promise<RunnerSession>;
  /**
   * A new budget ledger its workers can reach (a Redis one for `QueueRunner`): a budget set on
   * `evaluate` or an optimizer keeps its total there, so the cap holds for the whole run.
   */
  budgetLedger?(): BudgetLedger;
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** Runs each example in this process: program, then metric. The default runner of `evaluate`. */
export const localRunner: EvaluationRunner = {
  open: async (run) => ({ runExample: (index) => runLocally(run, index), close: async () => undefined }),
};

/**
 * True when `program` is a predictor whose `forward` is not overridden: it takes the run's signal
 * as a call option, so `evaluate` needs no run context (which would turn on Node's async-context
 * tracking, costly on every promise).
 */
export function isDirectPredictor(program: ProgramLike<PredictionLike>, trace: boolean): boolean {
  return !trace && program instanceof PredictBase && program.forward === PredictBase.prototype.forward;
}

async function runLocally(run: RunnerRun, index: number): Promise<RunnerOutcome> {
  const { program } = run;
  const example = run.devset[index] as ExampleLike;
  let prediction: PredictionLike;
  let trace: TraceEntry[] | undefined;
  try {
    const inputs = inputValues(example) as never;
    if (run.trace) {
      const traced = await runWithTrace(() => program.forward(inputs));
      prediction = traced.result;
      trace = traced.trace;
    } else if (isDirectPredictor(program, false)) {
      prediction = await (program as unknown as PredictBase).forward(inputs, { signal: run.signal });
    } else {
      prediction = await program.forward(inputs);
    }
  } catch (err) {
    return { error: toError(err) };
  }
  try {
    const metric = run.metric as Metric<ExampleLike, PredictionLike>;
    const pending = scoreOne(metric, example, prediction, index, trace, run.rules);
    const scored = pending instanceof Promise ? await pending : pending;
    return { prediction, ...scored };
  } catch (err) {
    return { prediction, error: toError(err) };
  }
}
