import {
  type Demo,
  normalizeMetricResult,
  type Prediction,
  type Predictor,
  runWithTrace,
  type Settings,
  type TraceEntry,
  withSettings,
} from '@dspy-ts/core';
import { canonicalJson, currentSettings } from '@dspy-ts/core/internal';
import { type CompileContext, isBudgetStop } from '../core/context.js';
import { type CompilableProgram, predictorsOf, runProgram, type TrainExample } from '../core/program.js';
import { mixSeed, Rng } from '../core/rng.js';

/** How bootstrapping runs (BootstrapFewShot's options, shared by the optimizers built on it). */
export interface BootstrapSettings {
  /** Bootstrapped (traced) demos per predictor. */
  readonly maxBootstrappedDemos: number;
  /** Demos per predictor in total, the rest filled with raw labeled examples. */
  readonly maxLabeledDemos: number;
  /** Attempts per example; rounds after the first use a fresh rollout id at temperature 1.0. */
  readonly maxRounds: number;
  /** A run passes when the metric is at least this (else when it is truthy / > 0). */
  readonly metricThreshold?: number;
  /** Settings (e.g. `{ lm }`) in force while the teacher runs. */
  readonly teacherSettings?: Settings;
  /** Called before each train example is tried (progress). */
  readonly onExample?: (index: number) => void;
}

/** The outcome of bootstrapping over a trainset. */
export interface BootstrapResult {
  /** Bootstrapped demos per predictor path, in the order they were found. */
  readonly traces: Record<string, Demo[]>;
  /** Trainset positions whose run passed the metric. */
  readonly bootstrapped: number[];
  /** Teacher runs made (DSPy's `bootstrap_attempts`). */
  attempts: number;
  /** Teacher runs that threw. */
  errors: number;
}

/** One recorded teacher run (checkpointed as JSON): passed or not, its demos per predictor path, or its error. */
export interface AttemptRecord {
  readonly ok: boolean;
  readonly demos?: Record<string, Demo[]>;
  readonly error?: string;
}

/**
 * Runs the teacher on each train example in order until `maxBootstrappedDemos` runs pass the
 * metric (DSPy's `_bootstrap`). Each run hides that example from the teacher's demos and is
 * traced; a passing run's predictor calls become demos (`augmented: true`) of their predictors.
 * Every attempt is a checkpointed step under `keyPrefix`. A teacher error counts towards
 * `maxErrors` and, on reaching it, is raised.
 */
export async function bootstrapTraces(
  ctx: CompileContext,
  teacher: CompilableProgram,
  trainset: readonly TrainExample[],
  settings: BootstrapSettings,
  keyPrefix: string,
  state: BootstrapResult = emptyResult(teacher),
): Promise<BootstrapResult> {
  const { traces, bootstrapped } = state;
  const paths = predictorPaths(teacher);
  for (let idx = 0; idx < trainset.length; idx++) {
    settings.onExample?.(idx);
    if (bootstrapped.length >= settings.maxBootstrappedDemos) break;
    const example = trainset[idx] as TrainExample;
    for (let round = 0; round < settings.maxRounds; round++) {
      state.attempts += 1;
      const key = `${keyPrefix}:r${round}:i${idx}`;
      const rec = await ctx.step<AttemptRecord>(key, async () => {
        try {
          return await attemptOne(ctx, teacher, paths, example, round, settings);
        } catch (err) {
          if (isBudgetStop(err) || ctx.signal?.aborted) throw err;
          ctx.throwMetricFailure();
          if (state.errors + 1 >= ctx.maxErrors) throw err;
          return { ok: false, error: err instanceof Error ? err.message : String(err) };
        }
      });
      if (rec.error !== undefined) state.errors += 1;
      if (rec.ok) {
        bootstrapped.push(idx);
        for (const [path, demos] of Object.entries(rec.demos ?? {})) traces[path]?.push(...demos);
        break;
      }
    }
  }
  return state;
}

/** A fresh, empty {@link BootstrapResult} for `program`'s predictors. */
export function emptyResult(program: CompilableProgram): BootstrapResult {
  const traces: Record<string, Demo[]> = {};
  for (const [path] of predictorsOf(program)) traces[path] = [];
  return { traces, bootstrapped: [], attempts: 0, errors: 0 };
}

/**
 * One traced teacher run on `example` (hidden from the teacher's demos), scored by the metric
 * (every run passes when the context has no metric). Round r > 0 samples at temperature 1.0
 * with rollout id r.
 */
export async function attemptOne(
  ctx: CompileContext,
  teacher: CompilableProgram,
  paths: ReadonlyMap<Predictor, string>,
  example: TrainExample,
  round: number,
  settings: BootstrapSettings,
): Promise<AttemptRecord> {
  const own = canonicalJson(example.toJSON());
  const saved = predictorsOf(teacher).map(([, p]) => [p, p.demos] as const);
  for (const [p, demos] of saved) p.demos = demos.filter((d) => canonicalJson(d) !== own);
  const base = { ...currentSettings(), ...(settings.teacherSettings ?? {}) };
  const overrides: Settings =
    round > 0
      ? { ...base, lmRequest: { ...(base.lmRequest ?? {}), rolloutId: round, temperature: 1.0 } }
      : base;
  let run: { readonly result: Prediction; readonly trace: readonly TraceEntry[] };
  try {
    run = await withSettings(overrides, () =>
      runWithTrace(() => runProgram(teacher, example.inputs().toJSON())),
    );
  } finally {
    for (const [p, demos] of saved) p.demos = demos;
  }
  let ok = true;
  if (ctx.hasMetric) {
    const { score } = normalizeMetricResult(await ctx.metric(example, run.result, run.trace));
    ok = settings.metricThreshold !== undefined ? score >= settings.metricThreshold : score > 0;
  }
  if (!ok) return { ok: false };
  const byPath: Record<string, Demo[]> = {};
  for (const entry of run.trace) {
    const path = paths.get(entry.predictor);
    if (path === undefined) continue;
    const list = byPath[path] ?? [];
    list.push({ augmented: true, ...entry.inputs, ...entry.outputs });
    byPath[path] = list;
  }
  const demos: Record<string, Demo[]> = {};
  for (const [path, list] of Object.entries(byPath)) demos[path] = [pickOne(list)];
  return { ok: true, demos };
}

/** With several calls of one predictor in a run, keep one: the last, or (50/50, seeded by content) an earlier one. */
function pickOne(list: readonly Demo[]): Demo {
  const last = list[list.length - 1] as Demo;
  if (list.length === 1) return last;
  const rng = new Rng(mixSeed(0, canonicalJson(list)));
  return rng.random() < 0.5 ? (rng.choice(list.slice(0, -1)) as Demo) : last;
}

/**
 * Sets the student's demos (DSPy's `_train`): per predictor, the first `maxBootstrappedDemos`
 * bootstrapped demos, then a seeded sample of the examples that were not bootstrapped, up to
 * `maxLabeledDemos` in total.
 */
export function assembleDemos(
  student: CompilableProgram,
  result: BootstrapResult,
  trainset: readonly TrainExample[],
  settings: BootstrapSettings,
  rng: Rng,
): void {
  const used = new Set(result.bootstrapped);
  const raw = trainset.filter((_, i) => !used.has(i));
  for (const [path, predictor] of predictorsOf(student)) {
    const augmented = (result.traces[path] ?? []).slice(0, settings.maxBootstrappedDemos);
    const size = Math.max(0, Math.min(settings.maxLabeledDemos - augmented.length, raw.length));
    predictor.demos = [...augmented, ...rng.sample(raw, size).map((e) => e.toJSON())];
  }
}

/** The teacher DSPy uses: the given teacher (labeled demos added when it has none), else a copy of the student with labeled demos. */
export function makeTeacher(
  student: CompilableProgram,
  teacher: CompilableProgram | undefined,
  trainset: readonly TrainExample[],
  settings: BootstrapSettings,
  rng: Rng,
): CompilableProgram {
  const t = (teacher ?? student).clone();
  const preds = predictorsOf(t);
  const hasDemos = preds.some(([, p]) => p.demos.length > 0);
  if (settings.maxLabeledDemos > 0 && !(teacher && hasDemos)) {
    for (const [, p] of preds) {
      const n = Math.min(settings.maxLabeledDemos, trainset.length);
      p.demos = rng.sample(trainset, n).map((e) => e.toJSON());
    }
  }
  return t;
}

/**
 * BootstrapFewShot on a clone of `student`: build the teacher, bootstrap traces, assemble the
 * demos. Returns the new program and what bootstrapping found. Shared by BootstrapFewShot,
 * BootstrapRS and the optimizers that build demo-set candidates.
 */
export async function bootstrapProgram<P extends CompilableProgram>(
  ctx: CompileContext,
  student: P,
  teacher: CompilableProgram | undefined,
  trainset: readonly TrainExample[],
  settings: BootstrapSettings,
  keyPrefix: string,
  rng: Rng,
  onBudgetStop?: (partial: P, result: BootstrapResult) => void,
): Promise<{ program: P; result: BootstrapResult }> {
  const program = student.clone();
  for (const [, p] of predictorsOf(program)) p.demos = [];
  const t = makeTeacher(program, teacher, trainset, settings, rng.fork('teacher'));
  const result = emptyResult(program);
  try {
    await bootstrapTraces(ctx, t, trainset, settings, keyPrefix, result);
  } catch (err) {
    if (isBudgetStop(err) && onBudgetStop) {
      assembleDemos(program, result, trainset, settings, rng.fork('raw'));
      onBudgetStop(program, result);
    }
    throw err;
  }
  assembleDemos(program, result, trainset, settings, rng.fork('raw'));
  return { program, result };
}

/** Each predictor of `program` mapped to its path (to place traced calls). */
export function predictorPaths(program: CompilableProgram): Map<Predictor, string> {
  const paths = new Map<Predictor, string>();
  for (const [path, pred] of predictorsOf(program)) paths.set(pred, path);
  return paths;
}
