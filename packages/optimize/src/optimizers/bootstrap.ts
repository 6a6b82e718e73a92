import type { Settings } from '@dspy-ts/core';
import type { CompileContext } from '../core/context.js';
import { type CompileOptions, Optimizer, type RunOutcome } from '../core/optimizer.js';
import { OPTIMIZER_OPTION_KEYS, type OptionKeys } from '../core/option-keys.js';
import { type OptimizerOptions, scaleToUnit } from '../core/options.js';
import { bootstrapAttempts, demosHeld, type PlannedStep } from '../core/plan.js';
import {
  assertSameStructure,
  type CompilableProgram,
  demoCounts,
  type TrainExample,
} from '../core/program.js';
import { validateInt } from '../core/validate.js';
import { type BootstrapSettings, bootstrapProgram } from './bootstrap-core.js';

/** Options of {@link BootstrapFewShot} (DSPy's names). */
export interface BootstrapFewShotOptions extends OptimizerOptions {
  /** Bootstrapped demos per predictor (default 4). */
  readonly maxBootstrappedDemos?: number;
  /** Demos per predictor in total; the teacher's labeled demos too (default 16). */
  readonly maxLabeledDemos?: number;
  /** Attempts per train example (default 1); later rounds sample at temperature 1.0 with a fresh rollout id. */
  readonly maxRounds?: number;
  /**
   * A teacher run passes when the metric is ≥ this (default: when it is truthy / > 0); on the
   * metric's `metricRange` scale when one is declared.
   */
  readonly metricThreshold?: number;
  /** Settings in force while the teacher runs (e.g. `{ lm: strongerLM }`). */
  readonly teacherSettings?: Settings;
}

/** The option names of {@link BootstrapFewShot}. */
export const BOOTSTRAP_OPTION_KEYS = {
  ...OPTIMIZER_OPTION_KEYS,
  maxBootstrappedDemos: true,
  maxLabeledDemos: true,
  maxRounds: true,
  metricThreshold: true,
  teacherSettings: true,
} as const satisfies OptionKeys<BootstrapFewShotOptions>;

/** Reads the bootstrap settings (DSPy defaults) from options. */
export function bootstrapSettings(o: BootstrapFewShotOptions): BootstrapSettings {
  return {
    maxBootstrappedDemos: o.maxBootstrappedDemos ?? 4,
    maxLabeledDemos: o.maxLabeledDemos ?? 16,
    maxRounds: o.maxRounds ?? 1,
    ...(o.metricThreshold !== undefined
      ? { metricThreshold: scaleToUnit(o.metricThreshold, o.metricRange) }
      : {}),
    ...(o.teacherSettings ? { teacherSettings: o.teacherSettings } : {}),
  };
}

/** Checks the bootstrap options. */
export function validateBootstrapOptions(name: string, o: BootstrapFewShotOptions): void {
  validateInt(name, 'maxBootstrappedDemos', o.maxBootstrappedDemos, 0);
  validateInt(name, 'maxLabeledDemos', o.maxLabeledDemos, 0);
  validateInt(name, 'maxRounds', o.maxRounds, 1);
}

/**
 * Bootstraps demos from a teacher's successful runs, as DSPy's BootstrapFewShot: for each
 * train example in order, until `maxBootstrappedDemos` pass the metric, run the teacher
 * (without that example among its demos) under a trace; each traced call of a passing run
 * becomes a demo of its predictor. Remaining slots up to `maxLabeledDemos` get a seeded sample
 * of the other examples. Sequential, one LM call per predictor call per attempt.
 *
 * @example
 * ```ts
 * const { program, report } = await new BootstrapFewShot({ metric: exactMatch('answer') })
 *   .compile(qa, { trainset });
 * await program.save('qa.json');
 * ```
 */
export class BootstrapFewShot extends Optimizer<BootstrapFewShotOptions> {
  readonly name: string = 'BootstrapFewShot';
  protected override readonly optionKeys = BOOTSTRAP_OPTION_KEYS;
  #attempts = 0;

  protected override validate(
    _trainset: readonly TrainExample[],
    _valset: readonly TrainExample[],
    program: CompilableProgram,
    opts: CompileOptions,
  ): void {
    validateBootstrapOptions(this.name, this.options);
    if (opts.teacher) assertSameStructure(this.name, program, opts.teacher);
  }

  protected async run<P extends CompilableProgram>(
    student: P,
    ctx: CompileContext,
    opts: CompileOptions,
  ): Promise<RunOutcome<P>> {
    ctx.progress.start(ctx.trainset.length, this.name);
    const settings = {
      ...bootstrapSettings(this.options),
      onExample: (i: number) => ctx.progress.update(i, undefined),
    };
    const { program, result } = await ctx.phase('bootstrap', () =>
      bootstrapProgram(
        ctx,
        student,
        opts.teacher,
        ctx.trainset,
        settings,
        'bootstrap',
        ctx.rng.fork('bootstrap'),
        (partial, r) => {
          this.#attempts = r.attempts;
          ctx.notes.push(
            `budget reached after ${r.attempts} teacher runs; ${r.bootstrapped.length} demos bootstrapped`,
          );
          ctx.offerBest(partial, undefined, 0);
        },
      ),
    );
    this.#attempts = result.attempts;
    ctx.recordCandidate({
      id: 0,
      label: 'bootstrapped',
      score: undefined,
      demos: demoCounts(program),
      extra: { attempts: result.attempts, bootstrapped: result.bootstrapped.length, errors: result.errors },
    });
    ctx.offerBest(program, undefined, 0);
    return { program };
  }

  protected override planSteps(
    p: number,
    trainset: readonly TrainExample[],
    _valset: readonly TrainExample[],
    opts: CompileOptions,
  ): PlannedStep[] {
    const s = bootstrapSettings(this.options);
    const runs = bootstrapAttempts(trainset.length, s.maxBootstrappedDemos, s.maxRounds);
    const teacherDemos = opts.teacher ? demosHeld(opts.teacher) : 0;
    return [
      {
        phase: 'bootstrap',
        kind: 'program',
        calls: runs * p,
        demos: Math.max(teacherDemos, Math.min(s.maxLabeledDemos, trainset.length)),
        how: `≤ ${runs} teacher runs (${trainset.length} examples × ${s.maxRounds} round(s), until ${s.maxBootstrappedDemos} pass) × ${p} predictor(s)`,
      },
    ];
  }

  protected override impliedCalls(
    _ctx: CompileContext,
    student: CompilableProgram,
  ): { calls: number; how: string } {
    const p = [...student.namedPredictors()].length;
    return {
      calls: this.#attempts * p,
      how: `${this.#attempts} teacher runs × ${p} predictor call(s) per run`,
    };
  }
}
