import type { Demo, LanguageModel } from '@dspy-ts/core';
import type { CompileContext } from '../../core/context.js';
import { type CompilableProgram, predictorsOf, type TrainExample } from '../../core/program.js';
import type { Rng } from '../../core/rng.js';
import type { TracedCall, TracedOutcome } from '../instruct/program.js';
import { proposeInstructions, type TaskDemo, taskDemosJson } from '../instruct/propose.js';

/** One example of a SIMBA minibatch and the sampled runs on it. */
export interface Bucket {
  readonly example: TrainExample;
  readonly runs: readonly TracedOutcome[];
  /** Best − worst score. */
  readonly gap: number;
  readonly max: number;
  readonly mean: number;
}

/** Builds a bucket and its statistics. */
export function bucketOf(example: TrainExample, runs: readonly TracedOutcome[]): Bucket {
  const scores = runs.map((r) => r.score);
  const max = Math.max(...scores);
  const min = Math.min(...scores);
  const mean = scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length);
  return { example, runs, gap: max - min, max, mean };
}

/** Buckets ordered as SIMBA takes them: largest spread first, then highest mean (stable). */
export function orderBuckets(buckets: readonly Bucket[]): Bucket[] {
  return buckets
    .map((b, i) => ({ b, i }))
    .sort((x, y) => y.b.gap - x.b.gap || y.b.mean - x.b.mean || y.b.max - x.b.max || x.i - y.i)
    .map((x) => x.b);
}

/** The best and the worst run of a bucket (the first of equals). */
export function goodAndBad(bucket: Bucket): { good: TracedOutcome; bad: TracedOutcome } {
  let good = bucket.runs[0] as TracedOutcome;
  let bad = good;
  for (const r of bucket.runs) {
    if (r.score > good.score) good = r;
    if (r.score < bad.score) bad = r;
  }
  return { good, bad };
}

/**
 * Appends the good run's calls as demos of their predictors (in place on `program`); when a
 * predictor already holds `maxDemos` or more, one seeded random demo makes room. Returns the predictors changed.
 */
export function appendDemo(
  program: CompilableProgram,
  good: TracedOutcome,
  maxDemos: number,
  rng: Rng,
): string[] {
  const changed: string[] = [];
  const byPath = new Map(predictorsOf(program));
  for (const call of lastCallPerPath(good.calls)) {
    const p = byPath.get(call.path);
    if (!p) continue;
    const demos: Demo[] = [...p.demos];
    if (demos.length >= maxDemos && demos.length > 0) demos.splice(rng.randint(0, demos.length - 1), 1);
    demos.push({ augmented: true, ...call.inputs, ...call.outputs });
    p.demos = demos;
    changed.push(call.path);
  }
  return changed;
}

/**
 * Asks the LM for a rule from a good and a bad run on the same example (the proposer contract:
 * `taskDemos` holds the example with the good outputs, what the bad run answered as
 * `predicted`, and feedback) and sets the result as each predictor's instruction (in place).
 */
export async function appendRule(
  ctx: CompileContext,
  key: string,
  lm: LanguageModel,
  program: CompilableProgram,
  example: TrainExample,
  good: TracedOutcome,
  bad: TracedOutcome,
): Promise<string[]> {
  const changed: string[] = [];
  const labels = example.labels().toJSON();
  for (const [path, p] of predictorsOf(program)) {
    const g = lastCallPerPath(good.calls).find((c) => c.path === path);
    const b = lastCallPerPath(bad.calls).find((c) => c.path === path);
    if (!g) continue;
    const outNames = p.signature.outputs.map((f) => f.name);
    const gold = Object.fromEntries(outNames.filter((n) => n in labels).map((n) => [n, labels[n]]));
    const feedback = [
      `A run scored ${bad.score}${bad.feedback ? ` (${bad.feedback})` : ''}; a better run scored ${good.score}${good.feedback ? ` (${good.feedback})` : ''}.`,
      'Write a rule that makes the worse run behave like the better one.',
    ].join(' ');
    const demo: TaskDemo = {
      inputs: (b ?? g).inputs,
      outputs: { ...g.outputs, ...gold },
      predicted: b?.outputs ?? {},
      feedback,
    };
    const current = p.signature.instructions;
    const [proposal] = await proposeInstructions(ctx, `${key}:${path}`, lm, {
      taskDemos: taskDemosJson([demo]),
      basicInstruction: current,
    });
    if (proposal && proposal !== current) {
      p.signature = p.signature.withInstructions(proposal);
      changed.push(path);
    }
  }
  return changed;
}

function lastCallPerPath(calls: readonly TracedCall[]): TracedCall[] {
  const last = new Map<string, TracedCall>();
  for (const c of calls) last.set(c.path, c);
  return [...last.values()];
}

/** An index drawn with probability ∝ exp(score / temperature) (seeded). */
export function softmaxSample(scores: readonly number[], temperature: number, rng: Rng): number {
  const t = Math.max(temperature, 1e-6);
  const top = Math.max(...scores);
  const weights = scores.map((s) => Math.exp((s - top) / t));
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng.random() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i] as number;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/** The q-quantile (0..1) of `xs` (nearest rank). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))));
  return sorted[idx] as number;
}
