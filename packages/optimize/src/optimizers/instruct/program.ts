import {
  type LMRequest,
  normalizeMetricResult,
  runWithTrace,
  type Settings,
  withSettings,
} from '@dspy-ts/core';
import { currentSettings } from '@dspy-ts/core/internal';
import { type CompileContext, isBudgetStop } from '../../core/context.js';
import { type CompilableProgram, predictorsOf, runProgram, type TrainExample } from '../../core/program.js';
import type { Rng } from '../../core/rng.js';

import type { TaskDemo } from './propose.js';

/** Every predictor's instructions by path. */
export function instructionsOf(program: CompilableProgram): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, p] of predictorsOf(program)) out[path] = p.signature.instructions;
  return out;
}

/** A clone of `program` whose predictors have the given instructions (paths not listed keep theirs). */
export function withInstructions<P extends CompilableProgram>(
  program: P,
  instructions: Readonly<Record<string, string>>,
): P {
  const copy = program.clone();
  for (const [path, p] of predictorsOf(copy)) {
    const text = instructions[path];
    if (text !== undefined && text !== p.signature.instructions) {
      p.signature = p.signature.withInstructions(text);
    }
  }
  return copy;
}

/** The program's structure in a few lines (MIPROv2's program description; no LM call). */
export function describeProgram(program: CompilableProgram): string {
  const lines = predictorsOf(program).map(([path, p]) => {
    const names = (fs: readonly { name: string }[]) => fs.map((f) => f.name).join(', ');
    return `- ${path}: ${p.signature.name}(${names(p.signature.inputs)} -> ${names(p.signature.outputs)})`;
  });
  return `${program.constructor.name} calls ${lines.length} predictor(s):\n${lines.join('\n')}`;
}

/** A train example as a task demo: its inputs and its labels. */
export function exampleTaskDemo(example: TrainExample): TaskDemo {
  return { inputs: example.inputs().toJSON(), outputs: example.labels().toJSON() };
}

/** One predictor call of a traced run, by predictor path. */
export interface TracedCall {
  readonly path: string;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
}

/** The outcome of one traced run of a program on an example (plain JSON, checkpointed). */
export interface TracedOutcome {
  /** Metric score 0..1 (0 when the program failed). */
  readonly score: number;
  readonly feedback?: string;
  /** The program's outputs (empty when it failed). */
  readonly outputs: Record<string, unknown>;
  readonly calls: readonly TracedCall[];
  /** The error message when the program threw. */
  readonly error?: string;
}

/** Maps `items` through `fn` with at most `limit` running at once, results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T, i);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed) throw failed.error;
  return out;
}

/**
 * Runs `program` on each example with tracing and scores it, as one checkpointed step under
 * `key`. `request` (e.g. `{ temperature: 1, rolloutId }`) is merged into the LM requests.
 * A program error scores 0 and is counted against `maxErrors`; budget stops and aborts are raised.
 */
export async function runTraced(
  ctx: CompileContext,
  program: CompilableProgram,
  examples: readonly TrainExample[],
  key: string,
  request?: Partial<Omit<LMRequest, 'messages' | 'signal'>>,
): Promise<TracedOutcome[]> {
  return ctx.step(`traced:${key}`, async () => {
    const paths = new Map(predictorsOf(program).map(([path, p]) => [p, path] as const));
    const base = currentSettings();
    const settings: Settings = request
      ? { ...base, lmRequest: { ...(base.lmRequest ?? {}), ...request } }
      : base;
    let errors = 0;
    return mapLimit(examples, ctx.numThreads, async (example): Promise<TracedOutcome> => {
      ctx.throwIfAborted();
      let run: Awaited<ReturnType<typeof runWithTrace<Awaited<ReturnType<typeof runProgram>>>>>;
      try {
        run = await withSettings(settings, () =>
          runWithTrace(() => runProgram(program, example.inputs().toJSON())),
        );
      } catch (err) {
        if (isBudgetStop(err) || ctx.signal?.aborted) throw err;
        errors += 1;
        if (errors >= ctx.maxErrors) throw err;
        return { score: 0, outputs: {}, calls: [], error: err instanceof Error ? err.message : String(err) };
      }
      const calls: TracedCall[] = run.trace.flatMap((e) => {
        const path = paths.get(e.predictor);
        return path === undefined ? [] : [{ path, inputs: { ...e.inputs }, outputs: { ...e.outputs } }];
      });
      const result = normalizeMetricResult(await ctx.metric(example, run.result, run.trace));
      return {
        score: result.score,
        ...(result.feedback !== undefined ? { feedback: result.feedback } : {}),
        outputs: run.result.toJSON(),
        calls,
      };
    });
  });
}

/** Mean of scores (0 for none). */
export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Minibatch `i` (1-based) of an endless sequence of seeded epochs over the trainset. */
export function epochBatches(
  trainset: readonly TrainExample[],
  size: number,
  rng: Rng,
): (i: number) => TrainExample[] {
  const order: number[] = [];
  const b = Math.min(size, trainset.length);
  let epoch = 0;
  return (i: number) => {
    const start = (i - 1) * b;
    while (order.length < start + b) {
      order.push(...rng.fork(`epoch:${epoch++}`).shuffle(trainset.map((_, k) => k)));
    }
    return order.slice(start, start + b).map((k) => trainset[k] as TrainExample);
  };
}
