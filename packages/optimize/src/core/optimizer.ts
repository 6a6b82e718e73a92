import {
  DspyError,
  datasetFingerprint,
  type JsonValue,
  logger,
  trackUsage,
  type UsageLimits,
} from '@dspy-ts/core';
import {
  currentSettings,
  currentUsage,
  emit,
  metricName,
  newCallId,
  preflightProgram,
  tracedCompile,
} from '@dspy-ts/core/internal';
import { type Spend, spendOf, ZERO_SPEND } from './budget.js';
import { Checkpoint } from './checkpoint.js';
import { CompileContext, isBudgetStop } from './context.js';
import { checkOptionKeys } from './option-keys.js';
import { describeOptions, type OptimizerOptions } from './options.js';
import {
  type CompileEstimate,
  type CompilePlan,
  type EstimateOptions,
  estimatePlan,
  makePlan,
  type PlannedStep,
} from './plan.js';
import {
  type CompilableProgram,
  cloneProgram,
  predictorsOf,
  programState,
  shortHash,
  type TrainExample,
} from './program.js';
import { progressBar } from './progress.js';
import { attachProvenance, type Provenance } from './provenance.js';
import { type CompileReport, type PhaseUsage, rankCandidates, type StopReason } from './report.js';
import { Rng } from './rng.js';
import {
  type ExamplePlace,
  guardMetric,
  invalid,
  probeMetric,
  validateDataset,
  validateInt,
  validateMetricFn,
  validateMetricRange,
} from './validate.js';
import { OPTIMIZE_VERSION } from './version.js';

/** Options that cannot change the result; left out of the checkpoint fingerprint so a run stopped by a budget can resume with a larger one. */
const NON_RESULT_OPTIONS = new Set([
  'maxLMCalls',
  'maxTokens',
  'maxCost',
  'budgetLedger',
  // Where candidates are evaluated (this process or workers) does not change what they score,
  // nor does how Ctrl-C is handled.
  'runner',
  'handleSigint',
  'numThreads',
  'progress',
  'timestamp',
]);

function resultOptions(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !NON_RESULT_OPTIONS.has(k)));
}

/** Finds where an example sits: its position in the trainset, else in the valset. */
function placesOf(
  trainset: readonly TrainExample[],
  valset: readonly TrainExample[],
): (example: TrainExample) => ExamplePlace | undefined {
  const places = new Map<TrainExample, ExamplePlace>();
  for (const [index, ex] of valset.entries()) places.set(ex, { dataset: 'valset', index });
  for (const [index, ex] of trainset.entries()) places.set(ex, { dataset: 'trainset', index });
  return (example) => places.get(example);
}

/** What `compile` takes besides the program. */
export interface CompileOptions {
  readonly trainset: readonly TrainExample[];
  /** Scored candidates are evaluated here (default: per optimizer, usually the trainset). */
  readonly valset?: readonly TrainExample[];
  /** A teacher program for bootstrapping (same predictors as the student). */
  readonly teacher?: CompilableProgram;
  /** Continue from `checkpoint` (a missing file starts afresh). */
  readonly resume?: boolean;
  /** File to record progress to (JSONL); needed for `resume`. */
  readonly checkpoint?: string;
  /** Aborting stops the run with `DspyError('ABORTED')`; resume it later from the checkpoint. */
  readonly signal?: AbortSignal;
}

/** What `compile` returns: a new program (the student is untouched) and the report. */
export interface CompileResult<P extends CompilableProgram> {
  readonly program: P;
  readonly report: CompileReport;
}

/** What an optimizer's `run` returns: the chosen program (a clone) and optional scores. */
export interface RunOutcome<P extends CompilableProgram> {
  readonly program: P;
  /** Score of the chosen program (0..100), when it was evaluated. */
  readonly score?: number;
  readonly candidateId?: number;
  /** Score of the unchanged student, when it was evaluated. */
  readonly baselineScore?: number;
  /** `stopAtScore` ended the search early. */
  readonly stoppedEarly?: boolean;
}

/**
 * The base of every optimizer. `compile` validates everything before any LM call, sets up the
 * seeded RNG, checkpoint, budget, progress bar and accounting, calls the subclass's `run`,
 * then builds the report and attaches provenance to the returned program.
 * Subclasses implement `run` (and usually `validate` and `impliedCalls`).
 *
 * @example
 * ```ts
 * class MyOptimizer extends Optimizer<OptimizerOptions> {
 *   readonly name = 'MyOptimizer';
 *   protected async run(student, ctx) {
 *     const candidate = student.clone();
 *     await ctx.evaluateCandidate(candidate, 0, 'as is');
 *     return { program: candidate };
 *   }
 * }
 * ```
 */
export abstract class Optimizer<O extends OptimizerOptions = OptimizerOptions> {
  /** The optimizer's public name (`BootstrapFewShot`, ...). */
  abstract readonly name: string;
  /** The options as given. */
  readonly options: O;
  /** Whether `compile` requires `metric` (false for LabeledFewShot, KNNFewShot, Ensemble). */
  protected readonly needsMetric: boolean = true;
  /**
   * Every option name the optimizer accepts (see `OptionKeys`); when set, `compile` rejects any
   * other key with `OPTIMIZER_INVALID` and a "did you mean" suggestion. Every built-in sets it.
   */
  protected readonly optionKeys: Readonly<Record<string, true>> | undefined = undefined;

  constructor(options?: O) {
    this.options = { ...(options ?? {}) } as O;
  }

  /** The search. `student` is already a clone; return a new program, never mutate the argument. */
  protected abstract run<P extends CompilableProgram>(
    student: P,
    ctx: CompileContext,
    opts: CompileOptions,
  ): Promise<RunOutcome<P>>;

  /** Option and data checks of the subclass (before any LM call); throw with `invalid(...)`. */
  protected validate(
    _trainset: readonly TrainExample[],
    _valset: readonly TrainExample[],
    _program: CompilableProgram,
    _opts: CompileOptions,
  ): void {}

  /** The valset used when none is given (default: the trainset, as DSPy does). */
  protected defaultValset(trainset: readonly TrainExample[]): readonly TrainExample[] {
    return trainset;
  }

  /**
   * The LM calls each phase makes at most for these settings and data (program runs count one
   * call per predictor). Built-ins override it; the default plans no calls.
   */
  protected planSteps(
    _predictors: number,
    _trainset: readonly TrainExample[],
    _valset: readonly TrainExample[],
    _opts: CompileOptions,
    _program: CompilableProgram,
  ): PlannedStep[] {
    return [];
  }

  /**
   * What `compile` would do, without doing it: the LM calls of each phase at most, from the
   * options and the data sizes. Checks the options and data as `compile` does; makes no LM call.
   *
   * @example
   * ```ts
   * const plan = new MIPROv2({ metric, auto: 'light' }).plan(qa, { trainset });
   * console.log(plan.calls);
   * ```
   */
  plan(program: CompilableProgram, opts: CompileOptions): CompilePlan {
    const { trainset, valset } = this.checkStatic(program, opts);
    const p = predictorsOf(program).length;
    return makePlan(
      this.name,
      p,
      trainset.length,
      valset.length,
      this.planSteps(p, trainset, valset, opts, program),
    );
  }

  /**
   * The {@link Optimizer.plan} with tokens and cost: renders the prompts of a sample of train
   * examples to count tokens per call and prices them with the price table (`registerPrices`).
   * Makes no LM call. `formatEstimate(estimate)` prints it as a table.
   *
   * @example
   * ```ts
   * const e = new BootstrapRS({ metric }).estimate(qa, { trainset });
   * console.log(e.calls, e.cost);
   * ```
   */
  estimate(program: CompilableProgram, opts: CompileOptions & EstimateOptions): CompileEstimate {
    const plan = this.plan(program, opts);
    const { trainset } = this.checkStatic(program, opts);
    return estimatePlan(plan, program, trainset, {
      ...(opts.lm ? { lm: opts.lm } : {}),
      ...(opts.sample !== undefined ? { sample: opts.sample } : {}),
    });
  }

  /** LM calls Python DSPy makes for the same settings without a cache. */
  protected impliedCalls(_ctx: CompileContext, _student: CompilableProgram): { calls: number; how: string } {
    return { calls: 0, how: 'no LM calls at compile time' };
  }

  /**
   * Compiles `program` into a new program. See the class docs.
   *
   * @example
   * ```ts
   * const { program: compiled, report } = await new BootstrapFewShot({ metric }).compile(qa, { trainset });
   * await compiled.save('qa.json');
   * ```
   */
  compile<P extends CompilableProgram>(program: P, opts: CompileOptions): Promise<CompileResult<P>> {
    return tracedCompile(
      this.name,
      program.constructor.name,
      () => this.compileUntraced(program, opts),
      (result) => result.report.bestScore,
    );
  }

  /** {@link Optimizer.compile} without its span. */
  private async compileUntraced<P extends CompilableProgram>(
    program: P,
    opts: CompileOptions,
  ): Promise<CompileResult<P>> {
    const o = this.options;
    const { trainset, valset } = await this.checkInputs(program, opts);
    const seed = o.seed ?? 0;
    const checkpoint = await Checkpoint.open({
      ...(opts.checkpoint ? { path: opts.checkpoint } : {}),
      resume: opts.resume ?? false,
      optimizer: this.name,
      fingerprint: this.fingerprint(program, trainset, valset),
    });
    const interrupt = this.interruption(opts);
    let lastSpend: Spend = ZERO_SPEND;
    const spendNow = (): Spend => {
      const u = currentUsage();
      if (u) lastSpend = spendOf(u);
      return lastSpend;
    };
    const settings = currentSettings();
    const guard = o.metric
      ? guardMetric(this.name, o.metric, placesOf(trainset, valset), o.metricRange)
      : undefined;
    const ctx = new CompileContext({
      optimizer: this.name,
      rng: new Rng(seed),
      trainset,
      valset,
      metric: guard?.metric,
      metricFailure: guard?.failure ?? (() => undefined),
      checkpoint,
      progress: progressBar(o.progress),
      signal: interrupt.signal,
      numThreads: o.numThreads ?? settings.numThreads ?? 8,
      maxErrors: o.maxErrors ?? settings.maxErrors ?? 10,
      runner: o.runner,
      spend: spendNow,
    });

    const callId = newCallId();
    emit('compileStart', { callId, optimizer: this.name, program: program.constructor.name });
    const started = performance.now();
    let outcome: RunOutcome<P> | undefined;
    let stoppedBy: StopReason = 'completed';
    try {
      const tracked = await trackUsage(async () => {
        try {
          return await this.run(cloneProgram(program), ctx, opts);
        } finally {
          spendNow();
        }
      }, this.limits());
      lastSpend = spendOf(tracked.usage);
      if (tracked.result.stoppedEarly) stoppedBy = 'stopAtScore';
      outcome = tracked.result;
    } catch (err) {
      if (!isBudgetStop(err)) {
        await checkpoint.flush();
        emit('compileEnd', { callId, optimizer: this.name, error: err });
        throw err;
      }
      stoppedBy = 'budget';
      ctx.budgetError ??= DspyError.from(err);
    } finally {
      ctx.progress.stop();
      interrupt.dispose();
    }
    await checkpoint.flush();
    const best = outcome ?? this.budgetFallback<P>(ctx, program);
    const total: PhaseUsage = { ...lastSpend, wallMs: performance.now() - started };
    const report = this.buildReport(ctx, best, stoppedBy, total, program);
    attachProvenance(best.program, this.provenance(ctx, report, best));
    emit('compileEnd', {
      callId,
      optimizer: this.name,
      ...(best.score !== undefined ? { score: best.score } : {}),
    });
    return { program: best.program, report };
  }

  /** Every check that needs no LM call: options, program, data, the subclass's own, the metric probe. */
  private async checkInputs(
    program: CompilableProgram,
    opts: CompileOptions,
  ): Promise<{ trainset: TrainExample[]; valset: TrainExample[] }> {
    const o = this.options;
    const { trainset, valset } = this.checkStatic(program, opts);
    if (o.metric && o.probeMetric !== false)
      await probeMetric(this.name, o.metric, trainset[0] as TrainExample, o.metricRange);
    // A missing key or endpoint would fail every call of the search: report it once, now.
    await preflightProgram(program);
    if (opts.teacher) await preflightProgram(opts.teacher);
    for (const value of Object.values(this.options)) {
      if (isPreflightable(value)) await value.preflight();
    }
    return { trainset, valset };
  }

  /** The checks of {@link Optimizer.checkInputs} that need neither the metric nor the LM. */
  private checkStatic(
    program: CompilableProgram,
    opts: CompileOptions,
  ): { trainset: TrainExample[]; valset: TrainExample[] } {
    const o = this.options;
    if (this.optionKeys) checkOptionKeys(this.name, o, this.optionKeys);
    validateMetricFn(this.name, o.metric, this.needsMetric);
    validateMetricRange(this.name, o.metricRange);
    validateInt(this.name, 'seed', o.seed, Number.MIN_SAFE_INTEGER);
    validateInt(this.name, 'numThreads', o.numThreads, 1);
    validateInt(this.name, 'maxErrors', o.maxErrors, 0);
    validateInt(this.name, 'maxLMCalls', o.maxLMCalls, 0);
    for (const key of ['maxTokens', 'maxCost'] as const) {
      const v = o[key];
      if (v !== undefined && !(typeof v === 'number' && v >= 0)) {
        throw invalid(
          `${this.name}: ${key} is ${String(v)}.`,
          `${this.name}.${key}`,
          `Set ${key} to a number ≥ 0.`,
        );
      }
    }
    if (
      o.budgetLedger !== undefined &&
      o.maxCost === undefined &&
      o.maxTokens === undefined &&
      o.maxLMCalls === undefined
    ) {
      throw invalid(
        `${this.name}: budgetLedger was given without a cap to check it against.`,
        `${this.name}.budgetLedger`,
        'Add maxCost, maxTokens or maxLMCalls, or leave budgetLedger out.',
      );
    }
    const predictors = predictorsOf(program);
    if (predictors.length === 0) {
      throw invalid(
        `${this.name}: ${program.constructor.name} has no predictors to optimize.`,
        `${this.name}.compile(program)`,
        'Hold Predict / ChainOfThought modules as properties of the program.',
      );
    }
    validateDataset(opts.trainset, 'trainset', this.name, predictors);
    if (opts.valset !== undefined) validateDataset(opts.valset, 'valset', this.name, predictors);
    const trainset = [...opts.trainset];
    const valset = [...(opts.valset ?? this.defaultValset(trainset))];
    if (opts.resume && !opts.checkpoint) {
      throw invalid(
        `${this.name}: resume needs a checkpoint file.`,
        `${this.name}.compile`,
        'Pass { resume: true, checkpoint: "run.ckpt.jsonl" }.',
      );
    }
    this.validate(trainset, valset, program, opts);
    return { trainset, valset };
  }

  /** Hash of everything that decides the result (not budgets, concurrency or display). */
  private fingerprint(
    program: CompilableProgram,
    trainset: readonly TrainExample[],
    valset: readonly TrainExample[],
  ): string {
    return shortHash({
      optimizer: this.name,
      options: describeOptions(resultOptions(this.options)),
      seed: this.options.seed ?? 0,
      train: trainset.map((e) => e.toJSON()),
      val: valset.map((e) => e.toJSON()),
      program: programState(program),
    });
  }

  /** The run's abort signal: the caller's signal, and Ctrl-C when `handleSigint` is on. */
  private interruption(opts: CompileOptions): { signal: AbortSignal; dispose(): void } {
    const stop = new AbortController();
    const forward = () => stop.abort(opts.signal?.reason);
    if (opts.signal?.aborted) forward();
    opts.signal?.addEventListener('abort', forward, { once: true });
    const onSigint = () => {
      const hint = opts.checkpoint
        ? `; continue with { resume: true, checkpoint: '${opts.checkpoint}' }`
        : '';
      logger().warn(`${this.name}: interrupted${hint}`);
      stop.abort(new Error('SIGINT'));
    };
    const sigint = this.options.handleSigint ?? Boolean(opts.checkpoint);
    if (sigint) process.once('SIGINT', onSigint);
    return {
      signal: stop.signal,
      dispose() {
        if (sigint) process.off('SIGINT', onSigint);
        opts.signal?.removeEventListener('abort', forward);
      },
    };
  }

  /** The budget limits for core's `trackUsage` (with the shared ledger of the runner, if any). */
  private limits(): UsageLimits {
    const o = this.options;
    const caps = {
      ...(o.maxLMCalls !== undefined ? { maxLMCalls: o.maxLMCalls } : {}),
      ...(o.maxTokens !== undefined ? { maxTokens: o.maxTokens } : {}),
      ...(o.maxCost !== undefined ? { maxCost: o.maxCost } : {}),
    };
    if (Object.keys(caps).length === 0) return caps;
    const ledger = o.budgetLedger ?? o.runner?.budgetLedger?.();
    return ledger ? { ...caps, ledger } : caps;
  }

  private budgetFallback<P extends CompilableProgram>(ctx: CompileContext, student: P): RunOutcome<P> {
    const best = ctx.best;
    if (best) {
      return {
        program: best.program as P,
        ...(best.score !== undefined ? { score: best.score } : {}),
        ...(best.id !== undefined ? { candidateId: best.id } : {}),
      };
    }
    ctx.notes.push('the budget ran out before any candidate was built; the program is the unchanged student');
    return { program: cloneProgram(student) };
  }

  private buildReport(
    ctx: CompileContext,
    best: RunOutcome<CompilableProgram>,
    stoppedBy: StopReason,
    total: PhaseUsage,
    student: CompilableProgram,
  ): CompileReport {
    return {
      optimizer: this.name,
      options: describeOptions(this.options),
      seed: this.options.seed ?? 0,
      stoppedBy,
      ...(ctx.budgetError ? { stopDetail: ctx.budgetError.message.split('\n')[0] } : {}),
      trainSize: ctx.trainset.length,
      valSize: ctx.valset.length,
      bestScore: best.score,
      bestCandidateId: best.candidateId,
      baselineScore: best.baselineScore,
      candidates: rankCandidates(ctx.candidates),
      trials: ctx.trials,
      phases: Object.fromEntries(ctx.phases),
      total,
      dspyImpliedCalls: this.impliedCalls(ctx, student),
      resumedSteps: ctx.resumedSteps,
      notes: ctx.notes,
    };
  }

  private provenance(
    ctx: CompileContext,
    report: CompileReport,
    best: RunOutcome<CompilableProgram>,
  ): Provenance {
    const o = this.options;
    // Where the candidates were evaluated, and how Ctrl-C was handled, are the report's to say
    // (it lists every option): an artifact compiled on workers is the one compiled here.
    const { runner: _where, handleSigint: _sigint, ...shaping } = o;
    return {
      optimizer: { name: this.name, options: describeOptions(shaping) as Record<string, JsonValue> },
      ...(o.metric ? { metric: metricName(o.metric) } : {}),
      seed: o.seed ?? 0,
      trainset: datasetFingerprint(ctx.trainset),
      valset: datasetFingerprint(ctx.valset),
      scores: {
        ...(best.baselineScore !== undefined ? { baseline: best.baselineScore } : {}),
        ...(best.score !== undefined ? { best: best.score } : {}),
      },
      versions: { '@dspy-ts/optimize': OPTIMIZE_VERSION },
      stoppedBy: report.stoppedBy,
      ...(o.timestamp ? { createdAt: new Date().toISOString() } : {}),
    };
  }
}

/** An option holding an LM of its own (a proposer's `promptModel`, a reflection LM, ...). */
function isPreflightable(value: unknown): value is { preflight(): void | Promise<void> } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { preflight?: unknown }).preflight === 'function'
  );
}
