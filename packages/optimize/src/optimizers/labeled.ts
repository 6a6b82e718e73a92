import type { Demo } from '@dspy-ts/core';
import type { CompileContext } from '../core/context.js';
import { type CompileOptions, Optimizer, type RunOutcome } from '../core/optimizer.js';
import { OPTIMIZER_OPTION_KEYS, type OptionKeys } from '../core/option-keys.js';
import type { OptimizerOptions } from '../core/options.js';
import { type CompilableProgram, demoCounts, predictorsOf, type TrainExample } from '../core/program.js';
import type { Rng } from '../core/rng.js';
import { validateInt } from '../core/validate.js';

/** Options of {@link LabeledFewShot}. */
export interface LabeledFewShotOptions extends OptimizerOptions {
  /** Demos per predictor (default 16; capped at the trainset size unless set explicitly). */
  readonly k?: number;
  /** Draw a seeded sample of `k` examples (default true); else take the first `k`. */
  readonly sample?: boolean;
}

const LABELED_OPTION_KEYS = {
  ...OPTIMIZER_OPTION_KEYS,
  k: true,
  sample: true,
} as const satisfies OptionKeys<LabeledFewShotOptions>;

/** An example as a demo: every field, inputs and labels. */
export function exampleToDemo(example: TrainExample): Demo {
  return example.toJSON();
}

/** `k` examples as demos: a seeded sample, or the first `k`. */
export function labeledDemos(
  trainset: readonly TrainExample[],
  k: number,
  sample: boolean,
  rng: Rng,
): Demo[] {
  const n = Math.min(k, trainset.length);
  const picked = sample ? rng.sample(trainset, n) : trainset.slice(0, n);
  return picked.map(exampleToDemo);
}

/** Sets each predictor's demos to labeled examples, in place (for programs the caller owns). */
export function applyLabeledDemos(
  program: CompilableProgram,
  trainset: readonly TrainExample[],
  k: number,
  sample: boolean,
  rng: Rng,
): void {
  for (const [, predictor] of predictorsOf(program)) predictor.demos = labeledDemos(trainset, k, sample, rng);
}

/**
 * Each predictor's demos become `k` labeled train examples (a seeded sample by default), as
 * DSPy's LabeledFewShot does. No LM calls, no metric needed.
 *
 * @example
 * ```ts
 * const { program } = await new LabeledFewShot({ k: 8, seed: 1 }).compile(qa, { trainset });
 * ```
 */
export class LabeledFewShot extends Optimizer<LabeledFewShotOptions> {
  readonly name = 'LabeledFewShot';
  protected override readonly needsMetric = false;
  protected override readonly optionKeys = LABELED_OPTION_KEYS;

  protected override validate(trainset: readonly TrainExample[]): void {
    validateInt(
      this.name,
      'k',
      this.options.k,
      0,
      trainset.length,
      `the trainset has ${trainset.length} examples`,
    );
  }

  protected async run<P extends CompilableProgram>(
    student: P,
    ctx: CompileContext,
    _opts: CompileOptions,
  ): Promise<RunOutcome<P>> {
    const k = this.options.k ?? 16;
    applyLabeledDemos(student, ctx.trainset, k, this.options.sample ?? true, ctx.rng.fork('labeled'));
    ctx.recordCandidate({ id: 0, label: `labeled k=${k}`, score: undefined, demos: demoCounts(student) });
    return { program: student };
  }
}
