import type { LanguageModel } from '@dspy-ts/core';
import type { CompileContext } from '../../core/context.js';
import { type CompileOptions, Optimizer, type RunOutcome } from '../../core/optimizer.js';
import { OPTIMIZER_OPTION_KEYS, type OptionKeys } from '../../core/option-keys.js';
import type { OptimizerOptions } from '../../core/options.js';
import { demosHeld, type PlannedStep } from '../../core/plan.js';
import { type CompilableProgram, demoCounts, predictorsOf, type TrainExample } from '../../core/program.js';
import { validateInt, validateNumber } from '../../core/validate.js';
import { epochBatches, mapLimit, mean, runTraced, type TracedOutcome } from '../instruct/program.js';
import { proposerLM } from '../instruct/propose.js';
import {
  appendDemo,
  appendRule,
  type Bucket,
  bucketOf,
  goodAndBad,
  orderBuckets,
  quantile,
  softmaxSample,
} from './strategies.js';

/** Options of {@link SIMBA} (DSPy's names in camelCase). */
export interface SIMBAOptions extends OptimizerOptions {
  /** Minibatch size (default 32). */
  readonly bsize?: number;
  /** Sampled runs per example and candidates per step (default 6). */
  readonly numCandidates?: number;
  /** Steps (default 8). */
  readonly maxSteps?: number;
  /** Demos per predictor; 0 leaves only the rule strategy (default 4). */
  readonly maxDemos?: number;
  /** Softmax temperature when picking programs to run and to improve (default 0.2). */
  readonly temperatureForSampling?: number;
  /** The LM that writes rules (default: the settings' LM). */
  readonly promptModel?: LanguageModel;
}

const OPTION_KEYS_SIMBA = {
  ...OPTIMIZER_OPTION_KEYS,
  bsize: true,
  numCandidates: true,
  maxSteps: true,
  maxDemos: true,
  temperatureForSampling: true,
  promptModel: true,
} as const satisfies OptionKeys<SIMBAOptions>;

interface Member {
  readonly id: number;
  readonly program: CompilableProgram;
  readonly scores: number[];
}

/**
 * Stochastic introspective mini-batch ascent, as DSPy's SIMBA: each step takes a minibatch,
 * runs programs sampled from the pool (softmax over their scores) `numCandidates` times per
 * example at temperature 1.0 with distinct rollout ids, buckets the examples by score spread
 * (best − worst, then mean), and builds a candidate per bucket by appending the best run as a
 * demo or a rule the LM writes from the best versus the worst run. Candidates are scored on the
 * minibatch and join the pool; each step's winner is kept, and the final program is the
 * winner (or the student) with the best full evaluation.
 *
 * @example
 * ```ts
 * const { program } = await new SIMBA({ metric, bsize: 16, maxSteps: 4 }).compile(classify, { trainset });
 * ```
 */
export class SIMBA extends Optimizer<SIMBAOptions> {
  readonly name = 'SIMBA';
  protected override readonly optionKeys = OPTION_KEYS_SIMBA;
  #ruleCalls = 0;
  #finalists = 0;

  protected override validate(): void {
    const o = this.options;
    validateInt(this.name, 'bsize', o.bsize, 1);
    validateInt(this.name, 'numCandidates', o.numCandidates, 1);
    validateInt(this.name, 'maxSteps', o.maxSteps, 1);
    validateInt(this.name, 'maxDemos', o.maxDemos, 0);
    validateNumber(this.name, 'temperatureForSampling', o.temperatureForSampling, {
      min: 0,
      exclusive: true,
      default: 0.2,
    });
    proposerLM(this.name, 'promptModel', o.promptModel);
  }

  protected async run<P extends CompilableProgram>(
    student: P,
    ctx: CompileContext,
    _opts: CompileOptions,
  ): Promise<RunOutcome<P>> {
    const o = this.options;
    const steps = o.maxSteps ?? 8;
    const k = o.numCandidates ?? 6;
    const maxDemos = o.maxDemos ?? 4;
    const temp = o.temperatureForSampling ?? 0.2;
    const lm = proposerLM(this.name, 'promptModel', o.promptModel);
    const rng = ctx.rng.fork('simba');
    const batches = epochBatches(ctx.trainset, o.bsize ?? 32, rng.fork('batches'));
    const pool: Member[] = [{ id: 0, program: student.clone(), scores: [] }];
    const winners: Member[] = [pool[0] as Member];
    this.#ruleCalls = 0;
    ctx.progress.start(steps + k + 1, this.name);

    for (let step = 1; step <= steps; step++) {
      const batch = batches(step);
      const buckets = await ctx.phase('trajectories', () =>
        this.trajectories(ctx, pool, batch, step, k, temp),
      );
      const all = buckets.flatMap((b) => b.runs.map((r) => r.score));
      const p10 = quantile(all, 0.1);
      const p90 = quantile(all, 0.9);
      const candidates: { member: Member; label: string }[] = [];
      await ctx.phase('candidates', async () => {
        for (const [i, bucket] of orderBuckets(buckets).slice(0, k).entries()) {
          const r = rng.fork(`step:${step}:cand:${i}`);
          const source = pool[softmaxSample(pool.map(avg), temp, r)] as Member;
          const { good, bad } = goodAndBad(bucket);
          const strategies = maxDemos > 0 ? ['demo', 'rule'] : ['rule'];
          const strategy = r.choice(strategies) as string;
          const program = source.program.clone();
          let changed: string[] = [];
          if (strategy === 'demo' && good.score > p10) {
            changed = appendDemo(program, good, maxDemos, r);
          } else if (strategy === 'rule' && good.score > p10 && bad.score < p90) {
            this.#ruleCalls += 1;
            changed = await appendRule(ctx, `simba:${step}:${i}`, lm, program, bucket.example, good, bad);
          }
          if (changed.length === 0) continue;
          const id = pool.length + candidates.length;
          candidates.push({
            member: { id, program, scores: [] },
            label: `step ${step}: ${strategy} on ${changed.join(', ')} from #${source.id}`,
          });
        }
      });
      let stepBest: { member: Member; score: number } | undefined;
      await ctx.phase('evaluate', async () => {
        // All at once, but every evaluation settles before an error is raised (mapLimit).
        const scored = await mapLimit(candidates, candidates.length, ({ member }) =>
          ctx.evaluateOn(member.program, `simba:${step}:${member.id}`, batch),
        );
        for (const [c, { member, label }] of candidates.entries()) {
          const score = (scored[c] as { score: number }).score;
          member.scores.push(score / 100);
          pool.push(member);
          ctx.recordCandidate({
            id: member.id,
            label,
            score: undefined,
            demos: demoCounts(member.program),
            extra: { step, minibatchScore: score },
          });
          if (!stepBest || score > stepBest.score) stepBest = { member, score };
        }
      });
      if (stepBest) {
        winners.push(stepBest.member);
        ctx.recordTrial(stepBest.member.id, stepBest.score);
      }
    }

    return ctx.phase('final', () => this.finalPick(ctx, winners, k));
  }

  /** Runs `k` sampled programs on each example (temperature 1.0, distinct rollout ids) and buckets the runs. */
  private async trajectories(
    ctx: CompileContext,
    pool: readonly Member[],
    batch: readonly TrainExample[],
    step: number,
    k: number,
    temp: number,
  ): Promise<Bucket[]> {
    // Every (sampled run, program) group runs at once (the LM's concurrency limit bounds the
    // calls); results are gathered in a fixed order, so buckets do not depend on timing.
    const groups: { c: number; member: Member; idx: number[] }[] = [];
    for (let c = 0; c < k; c++) {
      const r = ctx.rng.fork(`simba:traj:${step}:${c}`);
      const picks = batch.map(() => softmaxSample(pool.map(avg), temp, r));
      for (const m of [...new Set(picks)].sort((a, b) => a - b)) {
        groups.push({ c, member: pool[m] as Member, idx: picks.flatMap((p, i) => (p === m ? [i] : [])) });
      }
    }
    const outs = await mapLimit(groups, groups.length, ({ c, member, idx }) =>
      runTraced(
        ctx,
        member.program,
        idx.map((i) => batch[i] as TrainExample),
        `simba:${step}:${c}:${member.id}`,
        { temperature: 1.0, rolloutId: `simba:${step}:${c}` },
      ),
    );
    const runs: TracedOutcome[][] = batch.map(() => []);
    for (const [g, { idx }] of groups.entries()) {
      for (const [j, i] of idx.entries()) runs[i]?.push(outs[g]?.[j] as TracedOutcome);
    }
    return batch.map((example, i) => bucketOf(example, runs[i] ?? []));
  }

  /** Fully evaluates up to `k + 1` winners spread over the steps (the student first); the best wins. */
  private async finalPick<P extends CompilableProgram>(
    ctx: CompileContext,
    winners: readonly Member[],
    k: number,
  ): Promise<RunOutcome<P>> {
    const m = winners.length - 1;
    const n = k + 1;
    const picks =
      m < 1
        ? [0]
        : [...new Set(Array.from({ length: n }, (_, i) => Math.round((i * m) / Math.max(1, n - 1))))];
    this.#finalists = picks.length;
    let baseline: number | undefined;
    for (const i of picks) {
      const w = winners[i] as Member;
      const score = await ctx.evaluateCandidate(
        w.program,
        w.id,
        i === 0 ? 'the student (full evaluation)' : `step winner #${w.id} (full evaluation)`,
        { step: i, minibatchMean: w.scores.length > 0 ? mean(w.scores) * 100 : null },
      );
      if (i === 0) baseline = score;
    }
    const best = ctx.best;
    return {
      program: (best?.program ?? winners[0]?.program) as P,
      ...(best?.score !== undefined ? { score: best.score } : {}),
      ...(best?.id !== undefined ? { candidateId: best.id } : {}),
      ...(baseline !== undefined ? { baselineScore: baseline } : {}),
    };
  }

  protected override planSteps(
    p: number,
    trainset: readonly TrainExample[],
    valset: readonly TrainExample[],
    _opts: CompileOptions,
    student: CompilableProgram,
  ): PlannedStep[] {
    const o = this.options;
    const steps = o.maxSteps ?? 8;
    const k = o.numCandidates ?? 6;
    const b = Math.min(o.bsize ?? 32, trainset.length);
    const demos = demosHeld(student) + steps * Math.min(1, o.maxDemos ?? 4);
    return [
      {
        phase: 'trajectories',
        kind: 'program',
        calls: steps * b * k * p,
        demos,
        how: `${steps} steps × ${b} minibatch examples × ${k} sampled runs × ${p}`,
      },
      {
        phase: 'candidates',
        kind: 'meta',
        calls: steps * k,
        meta: { examples: 2, completionTokens: 200 },
        ...(o.promptModel ? { lm: o.promptModel } : {}),
        how: `≤ one rule per candidate: ${steps} steps × ${k}`,
      },
      {
        phase: 'evaluate',
        kind: 'program',
        calls: steps * k * b * p,
        demos,
        how: `${steps} steps × ≤ ${k} candidates × ${b} minibatch examples × ${p}`,
      },
      {
        phase: 'final',
        kind: 'program',
        calls: Math.min(k + 1, steps + 1) * valset.length * p,
        demos,
        how: `≤ ${Math.min(k + 1, steps + 1)} finalists × ${valset.length} valset examples × ${p}`,
      },
    ];
  }

  protected override impliedCalls(
    ctx: CompileContext,
    student: CompilableProgram,
  ): { calls: number; how: string } {
    const p = predictorsOf(student).length;
    const o = this.options;
    const steps = o.maxSteps ?? 8;
    const k = o.numCandidates ?? 6;
    const b = Math.min(o.bsize ?? 32, ctx.trainset.length);
    const runs = steps * (b * k + k * b);
    const final = (k + 1) * ctx.valset.length;
    return {
      calls: (runs + final) * p + this.#ruleCalls,
      how: `${steps} steps × (${b}×${k} sampled runs + ${k} candidates × ${b}) + ${k + 1} final evaluations × ${ctx.valset.length}, × ${p} call(s) per run, + ${this.#ruleCalls} rule calls (${this.#finalists} finalists evaluated here)`,
    };
  }
}

function avg(m: Member): number {
  return m.scores.length === 0 ? 0 : mean(m.scores);
}
