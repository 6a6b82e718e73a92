import type { LanguageModel } from '@dspy-ts/core';
import type { CompileContext } from '../../core/context.js';
import { type CompileOptions, Optimizer, type RunOutcome } from '../../core/optimizer.js';
import { OPTIMIZER_OPTION_KEYS, type OptionKeys } from '../../core/option-keys.js';
import { type OptimizerOptions, scaleToUnit } from '../../core/options.js';
import { demosHeld, type PlannedStep } from '../../core/plan.js';
import { type CompilableProgram, demoCounts, predictorsOf, type TrainExample } from '../../core/program.js';
import { invalid, validateInt } from '../../core/validate.js';
import {
  epochBatches,
  instructionsOf,
  mean,
  runTraced,
  type TracedOutcome,
  withInstructions,
} from '../instruct/program.js';
import { proposeInstructions, proposerLM, type TaskDemo, taskDemosJson } from '../instruct/propose.js';
import { GEPA_AUTO_CANDIDATES, type GepaAuto, gepaAutoBudget } from './budget.js';
import { type Lineage, planMerge } from './merge.js';
import { bestMean, paretoFront, sampleFront } from './pareto.js';

/** Options of {@link GEPA} (DSPy's names in camelCase). Exactly one of `auto`, `maxFullEvals`, `maxMetricCalls`. */
export interface GEPAOptions extends OptimizerOptions {
  /** Budget preset: DSPy's metric-call budget for 6 / 12 / 18 candidates. */
  readonly auto?: GepaAuto;
  /** Budget in full evaluations: maxFullEvals × (trainset + valset) metric calls. */
  readonly maxFullEvals?: number;
  /** Budget in metric calls (every scored program run counts one). */
  readonly maxMetricCalls?: number;
  /** The LM that reflects on traces and writes instructions (default: the settings' LM). */
  readonly reflectionLM?: LanguageModel;
  /** Train examples per reflective step (default 3). */
  readonly reflectionMinibatchSize?: number;
  /** Which pool member to improve next: sampled from the Pareto front (default) or the best mean. */
  readonly candidateSelectionStrategy?: 'pareto' | 'current_best';
  /** Merge front members that improved different predictors (default true). */
  readonly useMerge?: boolean;
  /** Merges at most (default 5). */
  readonly maxMergeInvocations?: number;
  /** Skip reflection when the minibatch is already perfect (default true). */
  readonly skipPerfectScore?: boolean;
  /** The metric score counted as perfect (default 1; on the `metricRange` scale when one is declared). */
  readonly perfectScore?: number;
  /** Validation instances a merge is first checked on (default 5). */
  readonly mergeSubsample?: number;
}

const OPTION_KEYS_GEPA = {
  ...OPTIMIZER_OPTION_KEYS,
  auto: true,
  maxFullEvals: true,
  maxMetricCalls: true,
  reflectionLM: true,
  reflectionMinibatchSize: true,
  candidateSelectionStrategy: true,
  useMerge: true,
  maxMergeInvocations: true,
  skipPerfectScore: true,
  perfectScore: true,
  mergeSubsample: true,
} as const satisfies OptionKeys<GEPAOptions>;

interface Member extends Lineage {
  readonly id: number;
  readonly scores: readonly number[];
}

const BUDGET_KEYS = ['auto', 'maxFullEvals', 'maxMetricCalls'] as const;

/**
 * Reflective prompt evolution, as DSPy's GEPA: keep a pool of programs with per-instance
 * validation scores; pick a member from the Pareto front; run it on a small train minibatch
 * with traces; show one predictor's instruction, inputs, outputs and the metric's feedback to
 * the reflection LM (`taskDemos` with `predicted` and `feedback`); accept the proposed
 * instruction only if the minibatch score improves, then score it on the valset; now and then
 * merge two members that improved different predictors. The artifact holds the evolved
 * instructions. The metric may return `{ score, feedback }`.
 *
 * @example
 * ```ts
 * const metric = (ex, pred) => ({ score: Number(pred.label === ex.label), feedback: `expected ${ex.label}` });
 * const { program } = await new GEPA({ metric, auto: 'light', reflectionLM }).compile(classify, { trainset, valset });
 * await program.save('classify.json');
 * ```
 */
export class GEPA extends Optimizer<GEPAOptions> {
  readonly name = 'GEPA';
  protected override readonly optionKeys = OPTION_KEYS_GEPA;
  #metricCalls = 0;
  #budget = 0;

  protected override validate(
    trainset: readonly TrainExample[],
    valset: readonly TrainExample[],
    program: CompilableProgram,
  ): void {
    const o = this.options;
    const given = BUDGET_KEYS.filter((k) => o[k] !== undefined);
    if (given.length !== 1) {
      throw invalid(
        `${this.name}: ${given.length === 0 ? 'no budget was given' : `${given.join(' and ')} are all set`}; exactly one of auto, maxFullEvals, maxMetricCalls is needed.`,
        `${this.name}.${given[1] ?? 'auto'}`,
        "Pass exactly one of { auto: 'light' | 'medium' | 'heavy' }, { maxFullEvals: n } or { maxMetricCalls: n }.",
      );
    }
    if (o.auto !== undefined && !(o.auto in GEPA_AUTO_CANDIDATES)) {
      throw invalid(
        `${this.name}: auto is ${String(o.auto)}.`,
        `${this.name}.auto`,
        "Set auto to 'light', 'medium' or 'heavy'.",
      );
    }
    validateInt(this.name, 'maxFullEvals', o.maxFullEvals, 1);
    validateInt(this.name, 'maxMetricCalls', o.maxMetricCalls, 1);
    validateInt(this.name, 'reflectionMinibatchSize', o.reflectionMinibatchSize, 1);
    validateInt(this.name, 'maxMergeInvocations', o.maxMergeInvocations, 0);
    validateInt(this.name, 'mergeSubsample', o.mergeSubsample, 1);
    const s = o.candidateSelectionStrategy;
    if (s !== undefined && s !== 'pareto' && s !== 'current_best') {
      throw invalid(
        `${this.name}: candidateSelectionStrategy is ${String(s)}.`,
        `${this.name}.candidateSelectionStrategy`,
        "Use 'pareto' or 'current_best'.",
      );
    }
    proposerLM(this.name, 'reflectionLM', o.reflectionLM);
    this.#budget = this.budgetFor(predictorsOf(program).length, trainset.length, valset.length);
  }

  /** The metric-call budget for the chosen option. */
  private budgetFor(predictors: number, trainSize: number, valSize: number): number {
    const o = this.options;
    if (o.maxMetricCalls !== undefined) return o.maxMetricCalls;
    if (o.maxFullEvals !== undefined) return o.maxFullEvals * (trainSize + valSize);
    return gepaAutoBudget(o.auto as GepaAuto, predictors, valSize);
  }

  protected async run<P extends CompilableProgram>(
    student: P,
    ctx: CompileContext,
    _opts: CompileOptions,
  ): Promise<RunOutcome<P>> {
    const o = this.options;
    const lm = proposerLM(this.name, 'reflectionLM', o.reflectionLM);
    const budget = this.#budget;
    const batchSize = o.reflectionMinibatchSize ?? 3;
    const perfect = o.perfectScore === undefined ? 1 : scaleToUnit(o.perfectScore, o.metricRange);
    const paths = predictorsOf(student).map(([p]) => p);
    const rng = ctx.rng.fork('gepa');
    const pool: Member[] = [];
    const cursor = new Map<number, number>();
    const tried = new Set<string>();
    const batches = epochBatches(ctx.trainset, batchSize, rng.fork('minibatches'));
    this.#metricCalls = 0;
    let merges = 0;
    let mergeDue = false;
    let nextId = 0;
    ctx.progress.start(budget, `${this.name} (metric calls)`);

    const admit = async (
      instructions: Record<string, string>,
      parents: number[],
      label: string,
      extra: object,
    ) => {
      const program = withInstructions(student, instructions);
      const id = nextId++;
      const out = await ctx.phase('evaluate', () => ctx.evaluateOn(program, `pool:${id}`, ctx.valset));
      this.#metricCalls += ctx.valset.length;
      const member: Member = { id, instructions, parents, scores: out.scores, mean: mean(out.scores) };
      pool.push(member);
      ctx.recordCandidate({
        id,
        label,
        score: out.score,
        demos: demoCounts(program),
        extra: { accepted: true, parents, instructions, ...extra },
      });
      ctx.recordTrial(id, out.score);
      ctx.offerBest(program, out.score, id);
      return member;
    };

    const seed = await admit(instructionsOf(student), [], 'seed (the student)', {});
    const baseline = mean(seed.scores) * 100;

    for (let iteration = 1; this.#metricCalls < budget; iteration++) {
      ctx.throwIfAborted();
      ctx.progress.update(Math.min(this.#metricCalls, budget), ctx.best?.score);
      if ((o.useMerge ?? true) && mergeDue && merges < (o.maxMergeInvocations ?? 5) && pool.length > 2) {
        mergeDue = false;
        const plan = planMerge(
          pool,
          paretoFront(pool).map((f) => f.index),
          tried,
          rng.fork(`merge:${iteration}`),
        );
        if (plan) {
          merges += 1;
          await ctx.phase('merge', () => this.tryMerge(ctx, student, pool, plan, iteration, admit));
          continue;
        }
      }
      const parentIdx =
        (o.candidateSelectionStrategy ?? 'pareto') === 'pareto'
          ? sampleFront(pool, rng.fork(`select:${iteration}`))
          : bestMean(pool);
      const parent = pool[parentIdx] as Member;
      const batch = batches(iteration);
      const before = await ctx.phase('reflect', () =>
        runTraced(ctx, withInstructions(student, parent.instructions), batch, `gepa:${iteration}:parent`),
      );
      this.#metricCalls += batch.length;
      if ((o.skipPerfectScore ?? true) && before.every((r) => r.score >= perfect)) continue;
      const turn = cursor.get(parentIdx) ?? 0;
      cursor.set(parentIdx, turn + 1);
      const path = paths[turn % paths.length] as string;
      const current = parent.instructions[path] as string;
      const [proposal] = await ctx.phase('reflect', () =>
        proposeInstructions(
          ctx,
          `gepa:${iteration}`,
          lm,
          {
            taskDemos: taskDemosJson(reflectiveDataset(student, path, batch, before)),
            basicInstruction: current,
          },
          { rolloutId: `gepa:${iteration}` },
        ),
      );
      if (proposal === undefined || proposal === current) continue;
      const child = { ...parent.instructions, [path]: proposal };
      if (pool.some((m) => sameInstructions(m.instructions, child))) continue;
      const after = await ctx.phase('reflect', () =>
        runTraced(ctx, withInstructions(student, child), batch, `gepa:${iteration}:child`),
      );
      this.#metricCalls += batch.length;
      const oldSum = sum(before.map((r) => r.score));
      const newSum = sum(after.map((r) => r.score));
      const extra = { predictor: path, iteration, minibatch: { before: oldSum, after: newSum } };
      if (newSum > oldSum) {
        await admit(child, [parent.id], `iteration ${iteration}: ${path} from #${parent.id}`, extra);
        mergeDue = true;
      } else {
        ctx.recordCandidate({
          id: 10_000 + iteration,
          label: `iteration ${iteration}: ${path} from #${parent.id} (rejected)`,
          score: undefined,
          demos: {},
          extra: { accepted: false, parents: [parent.id], instructions: child, ...extra },
        });
      }
    }
    ctx.notes.push(
      `${this.#metricCalls} metric calls of a budget of ${budget}; ${pool.length} programs in the pool`,
    );
    const best = ctx.best;
    return {
      program: (best?.program ?? withInstructions(student, seed.instructions)) as P,
      ...(best?.score !== undefined ? { score: best.score } : {}),
      ...(best?.id !== undefined ? { candidateId: best.id } : {}),
      baselineScore: baseline,
    };
  }

  private async tryMerge(
    ctx: CompileContext,
    student: CompilableProgram,
    pool: readonly Member[],
    plan: NonNullable<ReturnType<typeof planMerge>>,
    iteration: number,
    admit: (i: Record<string, string>, parents: number[], label: string, extra: object) => Promise<Member>,
  ): Promise<void> {
    const left = pool[plan.left] as Member;
    const right = pool[plan.right] as Member;
    const differing = left.scores.map((_, i) => i).filter((i) => left.scores[i] !== right.scores[i]);
    const ids = (differing.length > 0 ? differing : left.scores.map((_, i) => i)).slice(
      0,
      this.options.mergeSubsample ?? 5,
    );
    const subset = ids.map((i) => ctx.valset[i] as TrainExample);
    const program = withInstructions(student, plan.instructions);
    const out = await ctx.evaluateOn(program, `merge:${iteration}`, subset);
    this.#metricCalls += subset.length;
    const merged = sum(out.scores);
    const parentsBest = Math.max(
      sum(ids.map((i) => left.scores[i] ?? 0)),
      sum(ids.map((i) => right.scores[i] ?? 0)),
    );
    const extra = {
      merge: { ancestor: plan.ancestor, subsample: ids.length, merged, parentsBest },
      iteration,
    };
    if (merged >= parentsBest) {
      await admit(plan.instructions, [left.id, right.id], `merge of #${left.id} and #${right.id}`, extra);
    } else {
      ctx.recordCandidate({
        id: 20_000 + iteration,
        label: `merge of #${left.id} and #${right.id} (rejected)`,
        score: undefined,
        demos: {},
        extra: { accepted: false, parents: [left.id, right.id], instructions: plan.instructions, ...extra },
      });
    }
  }

  protected override planSteps(
    p: number,
    trainset: readonly TrainExample[],
    valset: readonly TrainExample[],
    _opts: CompileOptions,
    student: CompilableProgram,
  ): PlannedStep[] {
    const budget = this.budgetFor(p, trainset.length, valset.length);
    const mb = this.options.reflectionMinibatchSize ?? 3;
    const reflections = Math.ceil(budget / (2 * mb + 1));
    const lm = this.options.reflectionLM;
    return [
      {
        phase: 'evaluate',
        kind: 'program',
        calls: budget * p,
        demos: demosHeld(student),
        how: `a budget of ${budget} program runs (metric calls) × ${p}`,
      },
      {
        phase: 'reflect',
        kind: 'meta',
        calls: reflections,
        meta: { examples: mb * 2, completionTokens: 300 },
        ...(lm ? { lm } : {}),
        how: `about one reflection per ${2 * mb + 1} runs`,
      },
    ];
  }

  protected override impliedCalls(
    ctx: CompileContext,
    student: CompilableProgram,
  ): { calls: number; how: string } {
    const p = predictorsOf(student).length;
    const budget = this.#budget || this.budgetFor(p, ctx.trainset.length, ctx.valset.length);
    const reflections = Math.ceil(budget / (2 * (this.options.reflectionMinibatchSize ?? 3) + 1));
    return {
      calls: budget * p + reflections,
      how: `a budget of ${budget} metric calls (program runs × ${p} predictor call(s)) + about one reflection call per ${2 * (this.options.reflectionMinibatchSize ?? 3)} minibatch runs (${reflections})`,
    };
  }
}

function sameInstructions(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  return Object.keys(b).every((k) => a[k] === b[k]);
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/**
 * The examples the reflection LM sees for predictor `path`: each call's inputs, the gold
 * outputs (the example's labels for that predictor's fields, else what it answered), what it
 * answered (`predicted`) and the metric's feedback (else the score).
 */
function reflectiveDataset(
  program: CompilableProgram,
  path: string,
  batch: readonly TrainExample[],
  outcomes: readonly TracedOutcome[],
): TaskDemo[] {
  const predictor = predictorsOf(program).find(([p]) => p === path)?.[1];
  const outNames = predictor?.signature.outputs.map((f) => f.name) ?? [];
  const inNames = predictor?.signature.inputs.map((f) => f.name) ?? [];
  return batch.flatMap((example, i): TaskDemo[] => {
    const r = outcomes[i] as TracedOutcome;
    const labels = example.labels().toJSON();
    const gold = Object.fromEntries(outNames.filter((n) => n in labels).map((n) => [n, labels[n]]));
    const feedback =
      r.feedback ?? (r.error ? `The program failed: ${r.error}` : `This run scored ${r.score}.`);
    const calls = r.calls.filter((c) => c.path === path);
    if (calls.length === 0) {
      const inputs = example.inputs().toJSON();
      const own = Object.fromEntries(inNames.filter((n) => n in inputs).map((n) => [n, inputs[n]]));
      return [{ inputs: own, outputs: gold, predicted: {}, feedback }];
    }
    return calls.map((c) => ({
      inputs: c.inputs,
      outputs: Object.keys(gold).length > 0 ? { ...c.outputs, ...gold } : c.outputs,
      predicted: c.outputs,
      feedback,
    }));
  });
}
