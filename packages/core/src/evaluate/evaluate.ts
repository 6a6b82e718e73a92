import { ensureSpecValidators } from '../adapters/ensure-validators.js';
import { emit, newCallId } from '../callbacks.js';
import { validateExamples } from '../data/validate-examples.js';
import { DspyError, isDspyError } from '../errors.js';
import type { BudgetLedger } from '../lm/budget.js';
import { preflightProgram } from '../lm/preflight.js';
import { checkLimits, currentBudget, trackUsage } from '../lm/usage.js';
import { withRunContext } from '../modules/context.js';
import { optionalNodeBuiltin } from '../runtime/node-builtins.js';
import { currentSettings, logger } from '../settings.js';
import { tracedEvaluate, tracedExample } from '../telemetry/index.js';
import { checkKnownKeys } from '../utils/known-keys.js';
import { checkNumberOption } from '../utils/number-option.js';
import { isMetricRange, type Metric, type MetricRange } from './metric.js';
import { ProgressLine, type ProgressStream } from './progress.js';
import { saveResults } from './results.js';
import { type EvaluationRunner, isDirectPredictor, localRunner, type RunnerSession } from './runner.js';
import type { ScoreRules } from './score.js';
import { formatResultsTable } from './table.js';
import type {
  EvaluationReport,
  EvaluationResult,
  ExampleLike,
  PredictionLike,
  ProgramLike,
} from './types.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Examples run at once, an integer ≥ 1 (default: settings `numThreads`, else 8). */
  readonly concurrency?: number;
  /**
   * Failed examples tolerated (the program threw, or the metric threw, timed out or returned no
   * valid score); one more stops the run with `EVALUATE_ERROR_BUDGET`, whose
   * `details.partial` holds the results finished so far. An integer ≥ 0 or `Infinity`
   * (default: settings `maxErrors`, else 10).
   */
  readonly maxErrors?: number;
  /** Score in [0, 1] of a failed example (default 0). */
  readonly failureScore?: number;
  /**
   * Milliseconds an async metric may take on one example before that example fails with
   * `METRIC_ERROR` (default 120000; `Infinity` for no limit).
   */
  readonly metricTimeoutMs?: number;
  /**
   * The range the metric's numbers are in, e.g. `[0, 10]`: they are rescaled to [0, 1]. Without
   * it a number outside [0, 1] fails the example with `METRIC_ERROR`. Booleans are always 1 / 0.
   */
  readonly metricRange?: MetricRange;
  /** Progress line on stderr; shown only when stderr is a TTY (default) or `progressStream` is given. */
  readonly progress?: boolean;
  /** Where the progress line goes instead of stderr (always shown there unless `progress: false`). */
  readonly progressStream?: ProgressStream;
  /** Writes the results to a `.csv` or `.json` file (atomically) when the run ends. */
  readonly saveAs?: string;
  /** Stops the run and returns the partial results (`interrupted: true`). */
  readonly signal?: AbortSignal;
  /** Ctrl-C returns the partial results; default: on when the progress line is shown. */
  readonly handleSigint?: boolean;
  /** Prints a results table (to `tableStream`, default stdout); a number limits its rows. */
  readonly displayTable?: boolean | number;
  /** Where the results table goes (default stdout). */
  readonly tableStream?: ProgressStream;
  /** A name for callbacks and logs (default: the program's class name). */
  readonly name?: string;
  /**
   * Records each example's predictor calls (`runWithTrace`) and passes them to the metric as
   * its third argument, as optimizers do while bootstrapping. Default false: the metric gets
   * `undefined`, so a metric can tell plain evaluation from a traced run.
   */
  readonly trace?: boolean;
  /**
   * Where the examples run (default: this process). `new QueueRunner({ connection })` of
   * `@dspy-ts/distributed` runs them on BullMQ workers; results still come back in devset order.
   */
  readonly runner?: EvaluationRunner;
  /**
   * Most US dollars the run's LM calls may spend. Each call is checked before it is made (what
   * is spent plus the call's estimate); the call that would pass the cap is not made and the
   * run stops, returning the examples it finished (`interrupted: true`, `budgetExhausted` set).
   * Cached calls cost nothing.
   */
  readonly maxCost?: number;
  /** Most prompt + completion tokens of the run's LM calls (checked as `maxCost` is). */
  readonly maxTokens?: number;
  /** Most LM calls that reach the model (cache hits are free). */
  readonly maxLMCalls?: number;
  /**
   * Where the budget's running total is kept (default: the runner's shared ledger when it has
   * one, so workers draw on the same budget; else this process).
   */
  readonly budgetLedger?: BudgetLedger;
}

interface RunState<E extends ExampleLike, P extends PredictionLike> {
  readonly results: (EvaluationResult<E, P> | undefined)[];
  sum: number;
  done: number;
  errors: number;
  readonly firstErrors: { index: number; error: Error }[];
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function checkDevset(devset: readonly ExampleLike[]): void {
  if (devset.length === 0) {
    throw new DspyError('DATASET_INVALID', 'evaluate() was given an empty devset.', {
      details: { where: 'evaluate', fix: 'Pass at least one example.' },
    });
  }
  devset.forEach((ex, i) => {
    if (!ex || typeof ex.inputs !== 'function' || !ex.inputKeys) {
      throw new DspyError('DATASET_INVALID', `evaluate(): devset[${i}] has no input keys.`, {
        details: { where: `devset[${i}]`, fix: "Mark inputs with example.withInputs('question', ...)." },
      });
    }
  });
}

function budgetError(
  state: RunState<ExampleLike, PredictionLike>,
  maxErrors: number,
  partial: EvaluationReport,
): DspyError {
  const listed = state.firstErrors
    .slice(0, 3)
    .map((e) => `  devset[${e.index}]: ${e.error.message}`)
    .join('\n');
  return new DspyError(
    'EVALUATE_ERROR_BUDGET',
    `evaluate() stopped after ${state.errors} failed examples (maxErrors ${maxErrors}); ${partial.results.length} results are in error.details.partial. First errors:\n${listed}`,
    {
      cause: state.firstErrors[0]?.error,
      details: {
        where: 'evaluate',
        errors: state.firstErrors.map((e) => ({ index: e.index, message: e.error.message })),
        partial,
        fix: 'Fix the failing program or metric (see the first errors), or raise maxErrors.',
      },
    },
  );
}

/** The `BUDGET_EXHAUSTED` error in `err` or its causes, if any. */
function budgetStopOf(err: unknown): DspyError | undefined {
  for (let e: unknown = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if (isDspyError(e, 'BUDGET_EXHAUSTED')) return e;
  }
  return undefined;
}

/** Every option `evaluate` reads; the compiler keeps this list complete and exact. */
const OPTION_KEYS: Record<keyof EvaluateOptions, true> = {
  concurrency: true,
  maxErrors: true,
  failureScore: true,
  metricTimeoutMs: true,
  metricRange: true,
  progress: true,
  progressStream: true,
  saveAs: true,
  signal: true,
  handleSigint: true,
  displayTable: true,
  tableStream: true,
  name: true,
  trace: true,
  runner: true,
  maxCost: true,
  maxTokens: true,
  maxLMCalls: true,
  budgetLedger: true,
};

function checkOptions(options: EvaluateOptions): void {
  // A misspelt option (`concurency`) would otherwise run silently with the default.
  checkKnownKeys('evaluate', options, Object.keys(OPTION_KEYS), 'OPTION_INVALID');
  checkNumberOption('evaluate', 'concurrency', options.concurrency, { integer: true, min: 1 });
  checkNumberOption('evaluate', 'maxErrors', options.maxErrors, { integer: true, min: 0, infinity: true });
  checkNumberOption('evaluate', 'failureScore', options.failureScore, { min: 0, max: 1 });
  checkLimits('evaluate', options);
  checkNumberOption('evaluate', 'metricTimeoutMs', options.metricTimeoutMs, {
    integer: true,
    min: 1,
    max: MAX_TIMER_MS,
    infinity: true,
  });
  if (typeof options.displayTable === 'number') {
    checkNumberOption('evaluate', 'displayTable', options.displayTable, { integer: true, min: 1 });
  }
  const range = options.metricRange;
  if (range !== undefined && !isMetricRange(range)) {
    throw new DspyError(
      'OPTION_INVALID',
      `evaluate: metricRange is ${JSON.stringify(range)}; it must be [min, max] with finite min < max.`,
      {
        details: {
          where: 'evaluate.metricRange',
          option: 'metricRange',
          value: range,
          allowed: '[min, max] with finite min < max',
          fix: 'Pass the range your metric scores in, e.g. metricRange: [0, 10], or leave it out for [0, 1].',
        },
      },
    );
  }
}

/** The longest delay a Node timer takes. */
const MAX_TIMER_MS = 2_147_483_647;

/** Default of {@link EvaluateOptions.metricTimeoutMs}. */
const DEFAULT_METRIC_TIMEOUT_MS = 120_000;

function makeReport<E extends ExampleLike, P extends PredictionLike>(
  state: RunState<E, P>,
  total: number,
  interrupted: boolean,
  started: number,
): EvaluationReport<E, P> {
  const results = state.results.filter((r): r is EvaluationResult<E, P> => r !== undefined);
  const denominator = interrupted ? results.length : total;
  return {
    score: denominator === 0 ? 0 : (100 * state.sum) / denominator,
    results,
    errors: state.errors,
    elapsedMs: performance.now() - started,
    interrupted,
  };
}

/**
 * Runs `program` on every example of `devset` (with bounded concurrency), scores each
 * prediction with `metric` and returns the mean score (0..100) with per-example results in
 * devset order. An example on which the program throws, or whose metric throws, times out or
 * returns no valid score, is recorded as failed (`error` names the reason), scores
 * `failureScore` and still counts; more than `maxErrors` failures stop the run with
 * `EVALUATE_ERROR_BUDGET`, whose `details.partial` holds the results finished so far.
 * Numeric options out of range throw `OPTION_INVALID` before anything runs.
 *
 * @example
 * ```ts
 * const { score, results } = await evaluate(qa, devset, exactMatch, { concurrency: 16 });
 * ```
 */
export function evaluate<E extends ExampleLike, P extends PredictionLike>(
  program: ProgramLike<P>,
  devset: readonly E[],
  metric: Metric<E, P>,
  options: EvaluateOptions = {},
): Promise<EvaluationReport<E, P>> {
  const size = Array.isArray(devset) ? devset.length : 0;
  return tracedEvaluate(runName(program, options), size, () => budgeted(program, devset, metric, options));
}

/** {@link run} inside a capped `trackUsage` scope when the options set a budget. */
async function budgeted<E extends ExampleLike, P extends PredictionLike>(
  program: ProgramLike<P>,
  devset: readonly E[],
  metric: Metric<E, P>,
  options: EvaluateOptions,
): Promise<EvaluationReport<E, P>> {
  const { maxCost, maxTokens, maxLMCalls } = options;
  if (maxCost === undefined && maxTokens === undefined && maxLMCalls === undefined) {
    return run(program, devset, metric, options);
  }
  checkOptions(options);
  const ledger = options.budgetLedger ?? options.runner?.budgetLedger?.();
  const { result, usage } = await trackUsage(() => run(program, devset, metric, options), {
    ...(maxCost !== undefined ? { maxCost } : {}),
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    ...(maxLMCalls !== undefined ? { maxLMCalls } : {}),
    ...(ledger ? { ledger } : {}),
  });
  return { ...result, usage };
}

/** The name of a run in callbacks, spans and logs: `options.name`, else the program's class name. */
function runName(program: ProgramLike<PredictionLike>, options: EvaluateOptions): string {
  return options.name ?? program.constructor?.name ?? 'program';
}

/** {@link evaluate} without its span. */
async function run<E extends ExampleLike, P extends PredictionLike>(
  program: ProgramLike<P>,
  devset: readonly E[],
  metric: Metric<E, P>,
  options: EvaluateOptions,
): Promise<EvaluationReport<E, P>> {
  checkDevset(devset);
  checkOptions(options);
  const predictors = program.namedPredictors ? [...program.namedPredictors()] : [];
  for (const [, p] of predictors) {
    const validators = ensureSpecValidators(p.signature);
    if (validators) await validators;
  }
  validateExamples(
    predictors.map(([, p]) => p.signature),
    devset,
    // A metric may take a list of accepted answers for a label (exactMatch and f1 do).
    { name: 'devset', labelLists: true },
  );
  // A missing key or endpoint fails every example: report it once, before the first. Examples
  // a runner sends elsewhere (workers) are run with the LMs there, not with this process's.
  if (options.runner === undefined || options.runner === localRunner) await preflightProgram(program);
  const settings = currentSettings();
  const maxErrors = options.maxErrors ?? settings.maxErrors ?? 10;
  const failureScore = options.failureScore ?? 0;
  const rules: ScoreRules = {
    range: options.metricRange ?? [0, 1],
    timeoutMs: options.metricTimeoutMs ?? DEFAULT_METRIC_TIMEOUT_MS,
  };
  const name = runName(program, options);
  const callId = newCallId();
  const started = performance.now();
  const state: RunState<E, P> = {
    results: new Array(devset.length),
    sum: 0,
    done: 0,
    errors: 0,
    firstErrors: [],
  };

  const stream = options.progressStream ?? process.stderr;
  const showProgress = options.progress !== false && (options.progressStream !== undefined || !!stream.isTTY);
  const progress = showProgress ? new ProgressLine(stream, devset.length) : undefined;

  // Aborted when the run stops early, so the LM calls still in flight are cancelled.
  const inFlight = new AbortController();
  optionalNodeBuiltin('node:events')?.setMaxListeners(0, inFlight.signal);
  let settle: (outcome: { interrupted: boolean; error?: unknown }) => void = () => undefined;
  const stopped = new Promise<{ interrupted: boolean; error?: unknown }>((resolve) => {
    settle = resolve;
  });
  let halted = false;
  let budgetStop: DspyError | undefined;
  const halt = (outcome: { interrupted: boolean; error?: unknown }) => {
    if (halted) return;
    halted = true;
    inFlight.abort(
      new DspyError('LM_ABORTED', 'evaluate() stopped; this LM call was cancelled.', {
        details: {
          where: 'evaluate',
          fix: 'Nothing to fix: the run was interrupted or hit its error budget.',
        },
      }),
    );
    settle(outcome);
  };

  const onAbort = () => halt({ interrupted: true });
  const onSigint = () => halt({ interrupted: true });
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const sigint = options.handleSigint ?? showProgress;
  if (sigint) process.on('SIGINT', onSigint);

  // A predictor (whose `forward` is not overridden) takes the run's signal as a call option, so
  // its calls are cancelled without a run context: entering one turns on Node's async-context
  // tracking, which then costs something on every promise the process makes (in the HTTP
  // client above all). Any other program gets the signal through the run context.
  const direct = isDirectPredictor(program, options.trace === true);
  const runner = options.runner ?? localRunner;
  let session: RunnerSession | undefined;

  /** Records a failed example (program or metric) and halts the run once the budget is spent. */
  const fail = (index: number, example: E, prediction: P | undefined, err: unknown): void => {
    const exhausted = budgetStopOf(err);
    if (exhausted) {
      // The example did not run to its end: it is left out, to be run again with a larger budget.
      budgetStop ??= exhausted;
      halt({ interrupted: true });
      return;
    }
    const error = toError(err);
    state.errors += 1;
    if (state.firstErrors.length < 10) state.firstErrors.push({ index, error });
    state.results[index] = { index, example, prediction, score: failureScore, error };
    state.sum += failureScore;
    state.done += 1;
    progress?.update(state.sum, state.done, state.errors);
    // A refused key, a model that does not exist or a broken LM configuration would fail every
    // other example too.
    if (isDspyError(err, 'LM_AUTH', 'LM_CONFIG', 'LM_NOT_FOUND')) halt({ interrupted: false, error: err });
    else if (state.errors > maxErrors) {
      const partial = makeReport(state, devset.length, true, started) as EvaluationReport;
      halt({ interrupted: false, error: budgetError(state, maxErrors, partial) });
    }
  };

  const runOne = async (index: number): Promise<void> => {
    if (halted || !session) return;
    const example = devset[index] as E;
    const outcome = await session.runExample(index);
    if (halted) return;
    const prediction = outcome.prediction as P | undefined;
    if ('error' in outcome) {
      fail(index, example, prediction, outcome.error);
      return;
    }
    const { score, feedback } = outcome;
    state.results[index] = {
      index,
      example,
      prediction,
      score,
      ...(feedback !== undefined ? { feedback } : {}),
    };
    state.sum += score;
    state.done += 1;
    progress?.update(state.sum, state.done, state.errors);
  };

  const budget = currentBudget();
  emit('evaluateStart', { callId, program: name, size: devset.length });
  try {
    session = await runner.open({
      program: program as ProgramLike<PredictionLike>,
      devset,
      metric: metric as Metric<never, never>,
      rules,
      signal: inFlight.signal,
      trace: options.trace === true,
      name,
      ...(budget ? { budget } : {}),
    });
    const concurrency = options.concurrency ?? session.concurrency ?? settings.numThreads ?? 8;
    // `concurrency` workers take the next example until none is left or the run halts; the
    // run's abort signal reaches every LM call (see `direct` above).
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!halted && next < devset.length) {
        const index = next++;
        await tracedExample(
          index,
          () => runOne(index),
          () => state.results[index],
        );
      }
    };
    const workers = Math.min(concurrency, devset.length);
    const start = () => Promise.all(Array.from({ length: workers }, worker));
    const all = (direct ? start() : withRunContext({ signal: inFlight.signal }, start)).then(() => ({
      interrupted: false as const,
    }));
    all.catch((error: unknown) => halt({ interrupted: false, error }));
    const outcome = await Promise.race([all, stopped]);
    halted = true;
    progress?.finish(state.sum, state.done, state.errors);
    if ('error' in outcome && outcome.error !== undefined) throw outcome.error;
    const made = makeReport(state, devset.length, outcome.interrupted, started);
    const report = budgetStop ? { ...made, budgetExhausted: budgetStop } : made;
    if (budgetStop)
      logger().warn(
        `evaluate: ${budgetStop.message.split('\n')[0]} ${report.results.length} of ${devset.length} examples finished.`,
      );
    if (options.saveAs) await saveResults(report, options.saveAs);
    if (options.displayTable) {
      const maxRows = typeof options.displayTable === 'number' ? options.displayTable : undefined;
      const table = formatResultsTable(report.results, maxRows === undefined ? {} : { maxRows });
      (options.tableStream ?? process.stdout).write(`${table}\n`);
    }
    emit('evaluateEnd', { callId, program: name, score: report.score });
    return report;
  } catch (error) {
    emit('evaluateEnd', { callId, program: name, error });
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (sigint) process.off('SIGINT', onSigint);
    halted = true;
    await session?.close();
  }
}
