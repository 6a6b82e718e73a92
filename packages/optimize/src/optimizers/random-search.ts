import type { CompileContext } from '../core/context.js';
import { type CompileOptions, Optimizer, type RunOutcome } from '../core/optimizer.js';
import type { OptionKeys } from '../core/option-keys.js';
import { bootstrapAttempts, demosHeld, type PlannedStep } from '../core/plan.js';
import {
  assertSameStructure,
  type CompilableProgram,
  predictorsOf,
  type TrainExample,
} from '../core/program.js';
import { mixSeed, Rng } from '../core/rng.js';
import { validateInt } from '../core/validate.js';
import {
  BOOTSTRAP_OPTION_KEYS,
  type BootstrapFewShotOptions,
  bootstrapSettings,
  validateBootstrapOptions,
} from './bootstrap.js';
import { bootstrapProgram } from './bootstrap-core.js';

/** Options of {@link BootstrapFewShotWithRandomSearch} (DSPy's names). */
export interface BootstrapRSOptions extends BootstrapFewShotOptions {
  /** Seeded bootstrap candidates besides zero-shot, labeled-only and unshuffled (default 16). */
  readonly numCandidatePrograms?: number;
  /** Stop as soon as a candidate scores at least this (0..100). */
  readonly stopAtScore?: number;
  /** Sample the labeled-only candidate's demos (default true). */
  readonly labeledSample?: boolean;
}

/** One demo-set candidate of random search, before evaluation. */
export interface DemoSetCandidate<P extends CompilableProgram> {
  readonly id: number;
  readonly label: string;
  readonly program: P;
  /** Teacher runs spent building it. */
  readonly attempts: number;
}

/**
 * Builds candidate `seed` exactly as DSPy's random search: -3 zero-shot, -2 labeled-only,
 * -1 unshuffled bootstrap, s ≥ 0 a bootstrap over the trainset shuffled with seed s and
 * `maxBootstrappedDemos` drawn in [1, max]. Shared with MIPROv2's demo-set candidates.
 */
export async function buildDemoCandidate<P extends CompilableProgram>(
  ctx: CompileContext,
  student: P,
  teacher: CompilableProgram | undefined,
  options: BootstrapRSOptions,
  seed: number,
): Promise<DemoSetCandidate<P>> {
  const settings = bootstrapSettings(options);
  const base = options.seed ?? 0;
  if (seed === -3) {
    const program = student.clone();
    for (const [, p] of predictorsOf(program)) p.demos = [];
    return { id: seed, label: 'zero-shot', program, attempts: 0 };
  }
  if (seed === -2) {
    const program = student.clone();
    const rng = new Rng(mixSeed(base, 'labeled'));
    const sample = options.labeledSample ?? true;
    for (const [, p] of predictorsOf(program)) {
      const n = Math.min(settings.maxLabeledDemos, ctx.trainset.length);
      const picked = sample ? rng.sample(ctx.trainset, n) : ctx.trainset.slice(0, n);
      p.demos = picked.map((e) => e.toJSON());
    }
    return { id: seed, label: 'labeled only', program, attempts: 0 };
  }
  let trainset: readonly TrainExample[] = ctx.trainset;
  let size = settings.maxBootstrappedDemos;
  if (seed >= 0) {
    const rng = new Rng(mixSeed(base, `candidate:${seed}`));
    trainset = rng.shuffle(ctx.trainset);
    size = settings.maxBootstrappedDemos >= 1 ? rng.randint(1, settings.maxBootstrappedDemos) : 0;
  }
  const { program, result } = await bootstrapProgram(
    ctx,
    student,
    teacher,
    trainset,
    { ...settings, maxBootstrappedDemos: size },
    `c${seed}`,
    new Rng(mixSeed(base, `bootstrap:${seed}`)),
  );
  const label = seed === -1 ? 'bootstrap (unshuffled)' : `bootstrap seed ${seed} (${size} demos)`;
  return { id: seed, label, program, attempts: result.attempts };
}

const RANDOM_SEARCH_OPTION_KEYS = {
  ...BOOTSTRAP_OPTION_KEYS,
  numCandidatePrograms: true,
  stopAtScore: true,
  labeledSample: true,
} as const satisfies OptionKeys<BootstrapRSOptions>;

/**
 * Random search over bootstrapped demo sets, as DSPy's BootstrapFewShotWithRandomSearch:
 * evaluates zero-shot, labeled-only, an unshuffled bootstrap, then `numCandidatePrograms`
 * bootstraps over seeded shuffles with random demo counts, on the valset (default: the
 * trainset); keeps the first strictly best. N candidates → N + 3 evaluations.
 *
 * @example
 * ```ts
 * const { program, report } = await new BootstrapRS({ metric, numCandidatePrograms: 8 })
 *   .compile(qa, { trainset, valset });
 * ```
 */
export class BootstrapFewShotWithRandomSearch extends Optimizer<BootstrapRSOptions> {
  readonly name: string = 'BootstrapFewShotWithRandomSearch';
  protected override readonly optionKeys = RANDOM_SEARCH_OPTION_KEYS;
  #attempts = 0;
  #evaluations = 0;

  protected override validate(
    _trainset: readonly TrainExample[],
    _valset: readonly TrainExample[],
    program: CompilableProgram,
    opts: CompileOptions,
  ): void {
    validateBootstrapOptions(this.name, this.options);
    validateInt(this.name, 'numCandidatePrograms', this.options.numCandidatePrograms, 0);
    if (opts.teacher) assertSameStructure(this.name, program, opts.teacher);
  }

  protected async run<P extends CompilableProgram>(
    student: P,
    ctx: CompileContext,
    opts: CompileOptions,
  ): Promise<RunOutcome<P>> {
    const n = this.options.numCandidatePrograms ?? 16;
    const stopAt = this.options.stopAtScore;
    ctx.progress.start(n + 3, this.name);
    let best: { program: P; score: number; id: number } | undefined;
    let baseline: number | undefined;
    let stoppedEarly = false;
    this.#attempts = 0;
    this.#evaluations = 0;
    for (let seed = -3; seed < n; seed++) {
      const cand = await ctx.phase(seed < -1 ? 'candidates' : 'bootstrap', () =>
        buildDemoCandidate(ctx, student, opts.teacher, this.options, seed),
      );
      this.#attempts += cand.attempts;
      const score = await ctx.phase('evaluate', () =>
        ctx.evaluateCandidate(cand.program, cand.id, cand.label, { attempts: cand.attempts }),
      );
      this.#evaluations += 1;
      if (seed === -3) baseline = score;
      if (!best || score > best.score) best = { program: cand.program, score, id: cand.id };
      if (stopAt !== undefined && score >= stopAt) {
        stoppedEarly = true;
        break;
      }
    }
    const chosen = best as { program: P; score: number; id: number };
    return {
      program: chosen.program,
      score: chosen.score,
      candidateId: chosen.id,
      ...(baseline !== undefined ? { baselineScore: baseline } : {}),
      stoppedEarly,
    };
  }

  protected override planSteps(
    p: number,
    trainset: readonly TrainExample[],
    valset: readonly TrainExample[],
    opts: CompileOptions,
  ): PlannedStep[] {
    const n = this.options.numCandidatePrograms ?? 16;
    const s = bootstrapSettings(this.options);
    const perBootstrap = bootstrapAttempts(trainset.length, s.maxBootstrappedDemos, s.maxRounds);
    const teacherDemos = opts.teacher ? demosHeld(opts.teacher) : 0;
    return [
      {
        phase: 'bootstrap',
        kind: 'program',
        calls: (n + 1) * perBootstrap * p,
        demos: Math.max(teacherDemos, Math.min(s.maxLabeledDemos, trainset.length)),
        how: `${n + 1} bootstraps × ≤ ${perBootstrap} teacher runs × ${p} predictor(s)`,
      },
      {
        phase: 'evaluate',
        kind: 'program',
        calls: (n + 3) * valset.length * p,
        demos: Math.min(s.maxBootstrappedDemos + s.maxLabeledDemos, trainset.length + s.maxBootstrappedDemos),
        how: `${n + 3} candidates × ${valset.length} valset examples × ${p} predictor(s)`,
      },
    ];
  }

  protected override impliedCalls(
    ctx: CompileContext,
    student: CompilableProgram,
  ): { calls: number; how: string } {
    const p = predictorsOf(student).length;
    const evalCalls = this.#evaluations * ctx.valset.length * p;
    return {
      calls: this.#attempts * p + evalCalls,
      how: `${this.#attempts} teacher runs + ${this.#evaluations} evaluations × ${ctx.valset.length} examples, × ${p} predictor call(s) per run`,
    };
  }
}

/** Short name of {@link BootstrapFewShotWithRandomSearch}. */
export const BootstrapRS = BootstrapFewShotWithRandomSearch;
/** Short name of {@link BootstrapFewShotWithRandomSearch}. */
export type BootstrapRS = BootstrapFewShotWithRandomSearch;
