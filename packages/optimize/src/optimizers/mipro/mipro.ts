import type { Demo, DspyError, LanguageModel } from '@dspy-ts/core';
import { CompileContext } from '../../core/context.js';
import { type CompileOptions, Optimizer, type RunOutcome } from '../../core/optimizer.js';
import type { OptionKeys } from '../../core/option-keys.js';
import { bootstrapAttempts, demosHeld, type PlannedStep } from '../../core/plan.js';
import {
  assertSameStructure,
  type CompilableProgram,
  demoCounts,
  predictorsOf,
  type TrainExample,
} from '../../core/program.js';
import { invalid, validateInt } from '../../core/validate.js';
import type { BootstrapFewShotOptions } from '../bootstrap.js';
import { BOOTSTRAP_OPTION_KEYS, validateBootstrapOptions } from '../bootstrap.js';
import { describeProgram, exampleTaskDemo, mean } from '../instruct/program.js';
import {
  PROPOSAL_TIPS,
  proposeInstructions,
  proposerLM,
  summarizeData,
  type TaskDemo,
  taskDemosJson,
} from '../instruct/propose.js';
import { buildDemoCandidate } from '../random-search.js';
import { MIPRO_AUTO, type MiproAuto, miproEvalRuns, miproTrials } from './presets.js';
import { CategoricalTPE, type Observation, type Params } from './tpe.js';

/** Options of {@link MIPROv2} (DSPy's names in camelCase). */
export interface MIPROv2Options extends BootstrapFewShotOptions {
  /** Run mode (default 'light' unless `numCandidates` is given). */
  readonly auto?: MiproAuto;
  /** Instruction and demo-set candidates per predictor (instead of `auto`). */
  readonly numCandidates?: number;
  /** Search trials, the baseline included (default: see {@link miproTrials}). */
  readonly numTrials?: number;
  /** Score trials on minibatches of the valset (default true). */
  readonly minibatch?: boolean;
  /** Minibatch size (default 35). */
  readonly minibatchSize?: number;
  /** Fully evaluate the best-by-mean configuration every this many trials (default 5). */
  readonly minibatchFullEvalSteps?: number;
  /** The LM that writes instructions (default: the settings' LM). */
  readonly promptModel?: LanguageModel;
  /** Temperature of instruction proposals (default 0.5). */
  readonly initTemperature?: number;
  /** Train examples the dataset summary is written from (default 10). */
  readonly viewDataBatchSize?: number;
  /** Examples shown to the proposer as `taskDemos` (demo-set demos first, then train examples; default 32). */
  readonly proposalExamples?: number;
  /** Ground proposals in a dataset summary (one LM call; default true). */
  readonly dataAwareProposer?: boolean;
  /** Ground proposals in the program's structure (no LM call; default true). */
  readonly programAwareProposer?: boolean;
  /** Add a random tip to each proposal (default true). */
  readonly tipAwareProposer?: boolean;
}

const OPTION_KEYS_MIPROV2 = {
  ...BOOTSTRAP_OPTION_KEYS,
  auto: true,
  numCandidates: true,
  numTrials: true,
  minibatch: true,
  minibatchSize: true,
  minibatchFullEvalSteps: true,
  promptModel: true,
  initTemperature: true,
  viewDataBatchSize: true,
  proposalExamples: true,
  dataAwareProposer: true,
  programAwareProposer: true,
  tipAwareProposer: true,
} as const satisfies OptionKeys<MIPROv2Options>;

interface ConfigStats {
  readonly id: number;
  readonly params: Params;
  readonly scores: number[];
  full?: number;
}

/**
 * MIPROv2: demo-set candidates as in random search, grounded instruction proposals per
 * predictor, and a Bayesian search (a categorical TPE) over (instruction, demo set) per
 * predictor on minibatches, with a full evaluation of the best-by-mean configuration every
 * `minibatchFullEvalSteps` trials. The unchanged student is the first trial. Works
 * instruction-only (`maxBootstrappedDemos: 0, maxLabeledDemos: 0`).
 *
 * `auto` light / medium / heavy: n = 6 / 12 / 18 candidates and a valset of at most
 * 100 / 300 / 1000 examples; with demos n/2 instruction and n demo-set candidates per predictor,
 * instruction-only n instruction candidates. Trials: {@link miproTrials} unless `numTrials`.
 * No valset: the last 80% of the trainset is the valset and the first 20% the trainset.
 *
 * @example
 * ```ts
 * const { program, report } = await new MIPROv2({ metric, auto: 'light' }).compile(classify, { trainset });
 * ```
 */
export class MIPROv2 extends Optimizer<MIPROv2Options> {
  readonly name = 'MIPROv2';
  protected override readonly optionKeys = OPTION_KEYS_MIPROV2;
  #implied = { calls: 0, how: '' };

  constructor(options?: MIPROv2Options) {
    super({ seed: 9, ...(options ?? {}) } as MIPROv2Options);
  }

  protected override defaultValset(trainset: readonly TrainExample[]): readonly TrainExample[] {
    return trainset.slice(trainset.length - valPart(trainset.length));
  }

  protected override validate(
    trainset: readonly TrainExample[],
    _valset: readonly TrainExample[],
    program: CompilableProgram,
    opts: CompileOptions,
  ): void {
    const o = this.options;
    validateBootstrapOptions(this.name, o);
    if (o.auto !== undefined && !(o.auto in MIPRO_AUTO)) {
      throw invalid(
        `${this.name}: auto is ${String(o.auto)}.`,
        `${this.name}.auto`,
        "Set auto to 'light', 'medium' or 'heavy', or leave it out and set numCandidates.",
      );
    }
    if (o.auto !== undefined && o.numCandidates !== undefined) {
      throw invalid(
        `${this.name}: auto and numCandidates are both set.`,
        `${this.name}.numCandidates`,
        'Set either auto (which chooses the number of candidates) or numCandidates, not both.',
      );
    }
    validateInt(this.name, 'numCandidates', o.numCandidates, 1);
    validateInt(this.name, 'numTrials', o.numTrials, 1);
    validateInt(this.name, 'minibatchSize', o.minibatchSize, 1);
    validateInt(this.name, 'minibatchFullEvalSteps', o.minibatchFullEvalSteps, 1);
    validateInt(this.name, 'viewDataBatchSize', o.viewDataBatchSize, 1);
    validateInt(this.name, 'proposalExamples', o.proposalExamples, 1);
    if (opts.valset === undefined && trainset.length < 2) {
      throw invalid(
        `${this.name}: without a valset the trainset is split 20/80, which needs at least 2 examples (it has ${trainset.length}).`,
        `${this.name}.compile(trainset)`,
        'Pass more train examples or a valset.',
      );
    }
    if (opts.teacher) assertSameStructure(this.name, program, opts.teacher);
    proposerLM(this.name, 'promptModel', o.promptModel);
  }

  protected async run<P extends CompilableProgram>(
    student: P,
    ctx: CompileContext,
    opts: CompileOptions,
  ): Promise<RunOutcome<P>> {
    const o = this.options;
    const lm = proposerLM(this.name, 'promptModel', o.promptModel);
    const plan = this.searchPlan(predictorsOf(student).length);
    const trainset =
      opts.valset === undefined
        ? ctx.trainset.slice(0, ctx.trainset.length - valPart(ctx.trainset.length))
        : ctx.trainset;
    const valset =
      plan.valSize !== undefined && ctx.valset.length > plan.valSize
        ? ctx.rng.fork('valset').sample(ctx.valset, plan.valSize)
        : ctx.valset;
    const paths = predictorsOf(student).map(([p]) => p);
    if (valset !== ctx.valset) {
      ctx.notes.push(
        `the valset of ${ctx.valset.length} was cut to ${valset.length} (a seeded sample) for auto '${o.auto ?? 'light'}'`,
      );
    }
    if (opts.valset === undefined) {
      ctx.notes.push(
        `no valset: bootstrapping on the first ${trainset.length} train examples, validating on the last ${ctx.valset.length}`,
      );
    }
    ctx.progress.start(plan.trials, this.name);

    // 1) Demo-set candidates (DSPy's seeds -3, -2, -1, 0, ...), built on the (split) trainset.
    const demoSets: Record<string, Demo[]>[] = [];
    let attempts = 0;
    if (!plan.zeroShot) {
      const sub = trainContext(ctx, trainset);
      const demoOptions = {
        ...o,
        maxBootstrappedDemos: plan.maxBootstrapped,
        maxLabeledDemos: plan.maxLabeled,
      };
      await ctx.phase('bootstrap', async () => {
        for (let i = 0; i < plan.numDemoSets; i++) {
          const cand = await buildDemoCandidate(sub, student, opts.teacher, demoOptions, i - 3);
          attempts += cand.attempts;
          const sets: Record<string, Demo[]> = {};
          for (const [path, p] of predictorsOf(cand.program)) sets[path] = [...p.demos];
          demoSets.push(sets);
          ctx.recordCandidate({
            id: 1000 + i,
            label: `demo set ${i} (${cand.label})`,
            score: undefined,
            demos: demoCounts(cand.program),
            extra: { kind: 'demo-set', index: i },
          });
        }
      });
      ctx.resumedSteps += sub.resumedSteps;
    }

    // 2) Grounded instruction proposals per predictor (candidate 0 = the original).
    const instructions = await ctx.phase('propose', () =>
      this.proposeAll(ctx, lm, student, trainset, demoSets, plan.numInstructions),
    );
    for (const path of paths) {
      (instructions[path] ?? []).forEach((instruction, index) => {
        ctx.recordCandidate({
          id: 2000 + paths.indexOf(path) * 100 + index,
          label: `${path} instruction ${index}`,
          score: undefined,
          demos: {},
          extra: { kind: 'instruction', predictor: path, index, instruction },
        });
      });
    }

    // 3) Bayesian search.
    const result = await this.search(ctx, student, paths, instructions, demoSets, valset, plan);
    this.#implied = this.dspyCalls(paths.length, plan, attempts, trainset.length, valset.length);
    return result as RunOutcome<P>;
  }

  /** Candidate counts, trials and valset cap from `auto` / `numCandidates`. */
  private searchPlan(predictors: number) {
    const o = this.options;
    const maxBootstrapped = o.maxBootstrappedDemos ?? 4;
    const maxLabeled = o.maxLabeledDemos ?? 4;
    const zeroShot = maxBootstrapped === 0 && maxLabeled === 0;
    const auto = o.numCandidates === undefined ? (o.auto ?? 'light') : undefined;
    const n = auto ? MIPRO_AUTO[auto].n : (o.numCandidates as number);
    const numInstructions = auto && !zeroShot ? Math.max(1, Math.floor(n * 0.5)) : n;
    return {
      zeroShot,
      maxBootstrapped,
      maxLabeled,
      numInstructions,
      numDemoSets: zeroShot ? 0 : n,
      trials: o.numTrials ?? miproTrials(predictors, zeroShot, n),
      valSize: auto ? MIPRO_AUTO[auto].valSize : undefined,
      minibatchSize: o.minibatchSize ?? 35,
      fullEvalSteps: o.minibatchFullEvalSteps ?? 5,
      minibatch: o.minibatch ?? true,
    };
  }

  private async proposeAll(
    ctx: CompileContext,
    lm: LanguageModel,
    student: CompilableProgram,
    trainset: readonly TrainExample[],
    demoSets: readonly Record<string, Demo[]>[],
    count: number,
  ): Promise<Record<string, string[]>> {
    const o = this.options;
    const rng = ctx.rng.fork('proposals');
    const summary =
      (o.dataAwareProposer ?? true) && count > 1
        ? await summarizeData(
            ctx,
            'data',
            lm,
            rng
              .fork('summary')
              .sample(trainset, o.viewDataBatchSize ?? 10)
              .map(exampleTaskDemo),
          )
        : undefined;
    const description = (o.programAwareProposer ?? true) ? describeProgram(student) : undefined;
    const out: Record<string, string[]> = {};
    for (const [path, predictor] of predictorsOf(student)) {
      const original = predictor.signature.instructions;
      const list = [original];
      const inNames = predictor.signature.inputs.map((f) => f.name);
      const outNames = predictor.signature.outputs.map((f) => f.name);
      for (let i = 1; i < count; i++) {
        const r = rng.fork(`${path}:${i}`);
        const set = demoSets.length > 0 ? (demoSets[i % demoSets.length]?.[path] ?? []) : [];
        const fromDemos = set.map((d) => demoAsTask(d, inNames, outNames));
        const limit = o.proposalExamples ?? 32;
        const extra = r.sample(trainset, Math.max(0, limit - fromDemos.length)).map(exampleTaskDemo);
        const tip = (o.tipAwareProposer ?? true) ? r.choice(PROPOSAL_TIPS) : undefined;
        const [proposal] = await proposeInstructions(
          ctx,
          `${path}:${i}`,
          lm,
          {
            taskDemos: taskDemosJson([...fromDemos, ...extra].slice(0, limit)),
            basicInstruction: original,
            ...(summary ? { datasetSummary: summary } : {}),
            ...(description ? { programDescription: description } : {}),
            ...(tip ? { tip } : {}),
          },
          { temperature: o.initTemperature ?? 0.5, rolloutId: `mipro:${path}:${i}` },
        );
        list.push(proposal ?? original);
      }
      out[path] = list;
    }
    return out;
  }

  private async search(
    ctx: CompileContext,
    student: CompilableProgram,
    paths: readonly string[],
    instructions: Record<string, string[]>,
    demoSets: readonly Record<string, Demo[]>[],
    valset: readonly TrainExample[],
    plan: ReturnType<MIPROv2['searchPlan']>,
  ): Promise<RunOutcome<CompilableProgram>> {
    const space: Record<string, number> = {};
    for (const path of paths) {
      space[`${path}:instruction`] = instructions[path]?.length ?? 1;
      if (!plan.zeroShot) space[`${path}:demos`] = demoSets.length;
    }
    const tpe = new CategoricalTPE(space, ctx.rng.fork('tpe'), {
      startup: Math.max(2, Math.floor(plan.trials / 3)),
    });
    const build = (params: Params): CompilableProgram => {
      const program = student.clone();
      for (const [path, p] of predictorsOf(program)) {
        const text = instructions[path]?.[params[`${path}:instruction`] ?? 0];
        if (text !== undefined && text !== p.signature.instructions) {
          p.signature = p.signature.withInstructions(text);
        }
        const d = params[`${path}:demos`];
        if (d !== undefined) p.demos = [...(demoSets[d]?.[path] ?? [])];
      }
      return program;
    };
    const configs = new Map<string, ConfigStats>();
    const statsOf = (params: Params): ConfigStats => {
      const key = JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)));
      let s = configs.get(key);
      if (!s) {
        s = { id: configs.size, params, scores: [] };
        configs.set(key, s);
      }
      return s;
    };
    const useMinibatch = plan.minibatch && valset.length > plan.minibatchSize;
    const fullEval = async (s: ConfigStats, label: string): Promise<number> => {
      const program = build(s.params);
      const { score } = await ctx.phase('evaluate', () => ctx.evaluateOn(program, `full:${s.id}`, valset));
      s.full = score;
      ctx.recordCandidate({
        id: s.id,
        label,
        score,
        demos: demoCounts(program),
        extra: { kind: 'configuration', params: s.params, minibatchMean: mean(s.scores) },
      });
      ctx.offerBest(program, score, s.id);
      return score;
    };

    // Trial 1: the unchanged student on the full valset.
    const zero: Params = Object.fromEntries(Object.keys(space).map((k) => [k, 0]));
    const studentHasDemos = predictorsOf(student).some(([, p]) => p.demos.length > 0);
    const history: Observation[] = [];
    const baselineProgram = student.clone();
    const { score: baseline } = await ctx.phase('evaluate', () =>
      ctx.evaluateOn(baselineProgram, 'baseline', valset),
    );
    ctx.recordCandidate({
      id: -1,
      label: 'baseline (the student as given)',
      score: baseline,
      demos: demoCounts(baselineProgram),
      extra: { kind: 'configuration' },
    });
    ctx.recordTrial(-1, baseline);
    ctx.offerBest(baselineProgram, baseline, -1);
    if (!studentHasDemos) {
      const s = statsOf(zero);
      s.scores.push(baseline);
      s.full = baseline;
      history.push({ params: zero, score: baseline });
    }

    for (let t = 2; t <= plan.trials; t++) {
      const params = tpe.suggest(history);
      const s = statsOf(params);
      const program = build(params);
      const batch = useMinibatch ? ctx.rng.fork(`minibatch:${t}`).sample(valset, plan.minibatchSize) : valset;
      const { score } = await ctx.phase('evaluate', () =>
        ctx.evaluateOn(program, useMinibatch ? `trial:${t}` : `full:${s.id}`, batch),
      );
      s.scores.push(score);
      history.push({ params, score });
      ctx.recordTrial(s.id, score);
      if (!useMinibatch) {
        if (s.full === undefined) {
          s.full = score;
          ctx.recordCandidate({
            id: s.id,
            label: configLabel(params),
            score,
            demos: demoCounts(program),
            extra: { kind: 'configuration', params },
          });
        }
        ctx.offerBest(program, score, s.id);
      } else if (t % plan.fullEvalSteps === 0 || t === plan.trials) {
        const top = bestByMean([...configs.values()]);
        if (top && top.full === undefined) await fullEval(top, configLabel(top.params));
      }
    }
    const best = ctx.best;
    return {
      program: (best?.program ?? baselineProgram) as CompilableProgram,
      ...(best?.score !== undefined ? { score: best.score } : {}),
      ...(best?.id !== undefined ? { candidateId: best.id } : {}),
      baselineScore: baseline,
    };
  }

  private dspyCalls(
    p: number,
    plan: ReturnType<MIPROv2['searchPlan']>,
    attempts: number,
    trainSize: number,
    valSize: number,
  ): { calls: number; how: string } {
    const summary =
      (this.options.dataAwareProposer ?? true)
        ? Math.ceil(trainSize / (this.options.viewDataBatchSize ?? 10)) + 1
        : 0;
    const describe = (this.options.programAwareProposer ?? true) ? 2 : 0;
    const proposals = p * plan.numInstructions;
    const runs = miproEvalRuns(valSize, plan.trials, plan.minibatchSize, plan.fullEvalSteps);
    return {
      calls: attempts * p + summary + describe + proposals + runs * p,
      how: `${attempts} teacher runs × ${p} + ${summary} data-summary calls + ${describe} program-description calls + ${proposals} proposals + ${runs} evaluation runs × ${p} (valset ${valSize}, ${plan.trials} trials, minibatch ${plan.minibatchSize}, full eval every ${plan.fullEvalSteps})`,
    };
  }

  protected override planSteps(
    p: number,
    trainset: readonly TrainExample[],
    valset: readonly TrainExample[],
    opts: CompileOptions,
    student: CompilableProgram,
  ): PlannedStep[] {
    const o = this.options;
    const plan = this.searchPlan(p);
    const train = opts.valset === undefined ? trainset.length - valPart(trainset.length) : trainset.length;
    const val = plan.valSize !== undefined ? Math.min(plan.valSize, valset.length) : valset.length;
    const bootstraps = Math.max(0, plan.numDemoSets - 2);
    const perBootstrap = bootstrapAttempts(train, plan.maxBootstrapped, o.maxRounds ?? 1);
    const summary = (o.dataAwareProposer ?? true) && plan.numInstructions > 1 ? 1 : 0;
    const proposals = p * Math.max(0, plan.numInstructions - 1);
    const useMinibatch = plan.minibatch && val > plan.minibatchSize;
    const trials = Math.max(0, plan.trials - 1);
    let fulls = 0;
    if (useMinibatch)
      for (let t = 2; t <= plan.trials; t++) if (t % plan.fullEvalSteps === 0 || t === plan.trials) fulls++;
    const runs = val + trials * (useMinibatch ? plan.minibatchSize : val) + fulls * val;
    const demos = Math.max(demosHeld(student), plan.maxBootstrapped + plan.maxLabeled);
    const lm = o.promptModel ? { lm: o.promptModel } : {};
    return [
      {
        phase: 'bootstrap',
        kind: 'program',
        calls: bootstraps * perBootstrap * p,
        demos: Math.min(plan.maxLabeled, train),
        how: `${bootstraps} bootstrapped demo sets × ≤ ${perBootstrap} teacher runs × ${p} predictor(s)`,
      },
      {
        phase: 'propose',
        kind: 'meta',
        calls: summary,
        meta: { examples: Math.min(o.viewDataBatchSize ?? 10, train), completionTokens: 200 },
        ...lm,
        how: 'the dataset summary',
      },
      {
        phase: 'propose',
        kind: 'meta',
        calls: proposals,
        meta: { examples: Math.min(o.proposalExamples ?? 32, train), completionTokens: 150 },
        ...lm,
        how: `${p} predictor(s) × ${plan.numInstructions - 1} proposed instructions`,
      },
      {
        phase: 'evaluate',
        kind: 'program',
        calls: runs * p,
        demos,
        how: useMinibatch
          ? `baseline on ${val} + ${trials} trials × minibatch ${plan.minibatchSize} + ≤ ${fulls} full evaluations × ${val}, × ${p}`
          : `${plan.trials} trials × ${val} valset examples × ${p}`,
      },
    ];
  }

  protected override impliedCalls(): { calls: number; how: string } {
    return this.#implied;
  }
}

/** The valset share MIPROv2 takes from the trainset when no valset is given (80%, at least 1). */
function valPart(n: number): number {
  return Math.min(1000, Math.max(1, Math.floor(n * 0.8)));
}

function configLabel(params: Params): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

function bestByMean(list: readonly ConfigStats[]): ConfigStats | undefined {
  let best: ConfigStats | undefined;
  for (const s of list) {
    if (s.scores.length === 0) continue;
    if (!best || mean(s.scores) > mean(best.scores)) best = s;
  }
  return best;
}

function demoAsTask(demo: Demo, inNames: readonly string[], outNames: readonly string[]): TaskDemo {
  const pick = (names: readonly string[]) =>
    Object.fromEntries(names.filter((n) => n in demo).map((n) => [n, demo[n]]));
  return { inputs: pick(inNames), outputs: pick(outNames) };
}

/** A context like `ctx` whose trainset is `trainset` (MIPROv2 bootstraps on the 20% split). */
function trainContext(ctx: CompileContext, trainset: readonly TrainExample[]): CompileContext {
  if (trainset === ctx.trainset) return ctx;
  return new CompileContext({
    optimizer: ctx.optimizer,
    rng: ctx.rng,
    trainset,
    valset: ctx.valset,
    metric: ctx.metric,
    metricFailure: () => {
      try {
        ctx.throwMetricFailure();
        return undefined;
      } catch (err) {
        return err as DspyError;
      }
    },
    checkpoint: ctx.checkpoint,
    progress: ctx.progress,
    signal: ctx.signal,
    numThreads: ctx.numThreads,
    maxErrors: ctx.maxErrors,
    runner: ctx.runner,
    spend: () => ctx.spend(),
  });
}
