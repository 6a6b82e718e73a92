import { type Demo, DspyError, type Embedder, type Prediction } from '@dspy-ts/core';
import { ModuleBase, topK } from '@dspy-ts/core/internal';
import { type CompileContext, isBudgetStop } from '../core/context.js';
import { type CompileOptions, type CompileResult, Optimizer, type RunOutcome } from '../core/optimizer.js';
import type { OptionKeys } from '../core/option-keys.js';
import type { CompileEstimate, CompilePlan, EstimateOptions, PlannedStep } from '../core/plan.js';
import {
  assertSameStructure,
  type CompilableProgram,
  predictorsOf,
  runProgram,
  type TrainExample,
} from '../core/program.js';
import { attachProvenance, provenanceOf } from '../core/provenance.js';
import { validateInt } from '../core/validate.js';
import {
  BOOTSTRAP_OPTION_KEYS,
  type BootstrapFewShotOptions,
  bootstrapSettings,
  validateBootstrapOptions,
} from './bootstrap.js';
import { type AttemptRecord, attemptOne, makeTeacher, predictorPaths } from './bootstrap-core.js';
import { cosine, TfidfVectorizer, type Vectorizer, type VectorLike } from './tfidf.js';

/** Options of {@link KNNFewShot}. */
export interface KNNFewShotOptions extends BootstrapFewShotOptions {
  /** Train examples used as demos per call (1 ≤ k ≤ trainset size). */
  readonly k: number;
  /** Turns input texts into vectors (default: the built-in lexical {@link TfidfVectorizer}). */
  readonly vectorizer?: Vectorizer;
  /**
   * Finds neighbours by embedding similarity (DSPy's semantics): the inputs of every train
   * example and of each call are embedded with it (cached as the embedder caches). Give it or
   * `vectorizer`, not both; without either, the lexical TF-IDF vectorizer is used.
   */
  readonly embedder?: Embedder;
  /**
   * Run the teacher on every train example at compile time and use the traces of passing
   * runs as demos (DSPy bootstraps the neighbours); default false: neighbours are raw demos.
   */
  readonly bootstrap?: boolean;
}

/** The text of an example's inputs that the vectorizer sees (`key: value | key: value`). */
export function inputText(values: Readonly<Record<string, unknown>>, keys: readonly string[]): string {
  return keys
    .filter((k) => values[k] !== undefined)
    .map((k) => `${k}: ${typeof values[k] === 'string' ? values[k] : JSON.stringify(values[k])}`)
    .join(' | ');
}

/** One train example in a {@link KnnIndex}: its vector and its demos per predictor path. */
export interface KnnEntry {
  readonly vector: VectorLike;
  readonly demos: Readonly<Record<string, readonly Demo[]>>;
}

/** The searchable train set of a {@link KNNProgram} (shared by its clones, never copied). */
export class KnnIndex {
  constructor(
    readonly entries: readonly KnnEntry[],
    readonly vectorizer: Vectorizer,
    readonly inputKeys: readonly string[],
    readonly k: number,
  ) {}

  /** The `k` entries nearest to `inputs` (ties keep train order). */
  async nearest(inputs: Readonly<Record<string, unknown>>): Promise<KnnEntry[]> {
    const [vec = []] = await this.vectorizer.embed([inputText(inputs, this.inputKeys)]);
    const scores = this.entries.map((e) => cosine(vec, e.vector));
    return topK(scores, scores.length, this.k).indexes.map((i) => this.entries[i] as KnnEntry);
  }
}

/**
 * What KNNFewShot returns: runs `program` with, as each predictor's demos, those of the `k`
 * train examples nearest to the inputs. Its artifact holds the inner program's state; the
 * train set lives in the index (rebuild it with `KNNFewShot.compile` when loading).
 */
export class KNNProgram<P extends CompilableProgram = CompilableProgram> extends ModuleBase<
  Record<string, unknown>,
  Prediction
> {
  constructor(
    readonly program: P,
    readonly index: KnnIndex,
  ) {
    super();
  }

  override async forward(inputs: Record<string, unknown>): Promise<Prediction> {
    const near = await this.index.nearest(inputs);
    const run = this.program.clone();
    for (const [path, predictor] of predictorsOf(run)) {
      predictor.demos = near.flatMap((e) => [...(e.demos[path] ?? [])]);
    }
    return runProgram(run, inputs);
  }
}

/** An `Embedder` as a {@link Vectorizer} (nothing to fit). */
function embedderVectorizer(embedder: Embedder): Vectorizer {
  return { embed: (texts) => embedder.embed(texts) };
}

const KNN_OPTION_KEYS = {
  ...BOOTSTRAP_OPTION_KEYS,
  k: true,
  vectorizer: true,
  embedder: true,
  bootstrap: true,
} as const satisfies OptionKeys<KNNFewShotOptions>;

class KnnSearch extends Optimizer<KNNFewShotOptions> {
  readonly name = 'KNNFewShot';
  protected override readonly needsMetric = false;
  protected override readonly optionKeys = KNN_OPTION_KEYS;
  index: KnnIndex | undefined;
  attempts = 0;

  protected override validate(
    trainset: readonly TrainExample[],
    _valset: readonly TrainExample[],
    program: CompilableProgram,
    opts: CompileOptions,
  ): void {
    const k = this.options.k;
    if (k === undefined) validateInt(this.name, 'k', Number.NaN, 1, trainset.length);
    validateInt(this.name, 'k', k, 1, trainset.length, `the trainset has ${trainset.length} examples`);
    validateBootstrapOptions(this.name, this.options);
    if (this.options.embedder && this.options.vectorizer) {
      throw new DspyError('OPTIMIZER_INVALID', `${this.name}: both embedder and vectorizer are given`, {
        details: {
          where: `new ${this.name}({ embedder, vectorizer })`,
          fix: 'Pass embedder (neighbours by embedding similarity) or vectorizer (your own vectors), not both.',
        },
      });
    }
    if (opts.teacher) assertSameStructure(this.name, program, opts.teacher);
  }

  protected async run<P extends CompilableProgram>(
    student: P,
    ctx: CompileContext,
    opts: CompileOptions,
  ): Promise<RunOutcome<P>> {
    const o = this.options;
    const vectorizer = o.vectorizer ?? (o.embedder ? embedderVectorizer(o.embedder) : new TfidfVectorizer());
    const keys = [...(ctx.trainset[0]?.inputKeys ?? [])];
    const texts = ctx.trainset.map((e) => inputText(e.toJSON(), keys));
    await vectorizer.fit?.(texts);
    const vectors = await vectorizer.embed(texts);
    for (const [, p] of predictorsOf(student)) p.demos = [];
    const paths = predictorsOf(student).map(([path]) => path);
    const demos = o.bootstrap
      ? await ctx.phase('bootstrap', () => this.bootstrapAll(ctx, student, opts.teacher))
      : ctx.trainset.map((e) => Object.fromEntries(paths.map((p) => [p, [e.toJSON()]])));
    this.index = new KnnIndex(
      ctx.trainset.map((_, i) => ({ vector: vectors[i] ?? [], demos: demos[i] ?? {} })),
      vectorizer,
      keys,
      o.k,
    );
    ctx.recordCandidate({ id: 0, label: `k=${o.k} nearest`, score: undefined, demos: {} });
    return { program: student };
  }

  private async bootstrapAll(
    ctx: CompileContext,
    student: CompilableProgram,
    teacherGiven: CompilableProgram | undefined,
  ): Promise<Record<string, Demo[]>[]> {
    const settings = bootstrapSettings(this.options);
    const teacher = makeTeacher(student, teacherGiven, ctx.trainset, settings, ctx.rng.fork('teacher'));
    const paths = predictorPaths(teacher);
    const out: Record<string, Demo[]>[] = [];
    let errors = 0;
    for (let i = 0; i < ctx.trainset.length; i++) {
      const example = ctx.trainset[i] as TrainExample;
      this.attempts += 1;
      const rec = await ctx.step<AttemptRecord>(`knn:i${i}`, async () => {
        try {
          return await attemptOne(ctx, teacher, paths, example, 0, settings);
        } catch (err) {
          if (isBudgetStop(err) || ctx.signal?.aborted) throw err;
          ctx.throwMetricFailure();
          if (errors + 1 >= ctx.maxErrors) throw err;
          return { ok: false, error: err instanceof Error ? err.message : String(err) };
        }
      });
      if (rec.error !== undefined) errors += 1;
      const raw = Object.fromEntries([...paths.values()].map((p) => [p, [example.toJSON()]]));
      out.push(rec.ok && rec.demos ? { ...raw, ...rec.demos } : raw);
    }
    return out;
  }

  protected override planSteps(p: number, trainset: readonly TrainExample[]): PlannedStep[] {
    if (!this.options.bootstrap) return [];
    const s = bootstrapSettings(this.options);
    return [
      {
        phase: 'bootstrap',
        kind: 'program',
        calls: trainset.length * p,
        demos: Math.min(s.maxLabeledDemos, trainset.length),
        how: `${trainset.length} teacher runs (one per train example) × ${p} predictor(s)`,
      },
    ];
  }

  protected override impliedCalls(
    _ctx: CompileContext,
    student: CompilableProgram,
  ): { calls: number; how: string } {
    const p = predictorsOf(student).length;
    return this.options.bootstrap
      ? { calls: this.attempts * p, how: `${this.attempts} teacher runs (one per train example) × ${p}` }
      : { calls: 0, how: 'no LM calls at compile time (DSPy bootstraps k neighbours at every call instead)' };
  }
}

/**
 * Uses, for each input, the `k` nearest train examples (by embedding similarity with an
 * `embedder`, or by a pluggable vectorizer; a lexical TF-IDF one by default, so it works
 * offline) as the demos of every predictor. With
 * `bootstrap: true` the demos are the teacher's passing traces on those examples, made once at
 * compile time. Returns a {@link KNNProgram} wrapping a copy of the student.
 *
 * @example
 * ```ts
 * const { program } = await new KNNFewShot({ k: 8 }).compile(classify, { trainset });
 * await program.forward({ text: 'my card has not arrived' });
 * const embedder = new Embedder('openai/text-embedding-3-small');
 * const byMeaning = await new KNNFewShot({ k: 8, embedder }).compile(classify, { trainset });
 * ```
 */
export class KNNFewShot {
  readonly name = 'KNNFewShot';
  readonly #search: KnnSearch;

  constructor(readonly options: KNNFewShotOptions) {
    this.#search = new KnnSearch(options);
  }

  /**
   * The LM calls `compile` makes at most: none, or with `bootstrap: true` one teacher run per
   * train example (see `Optimizer.plan`). Makes no LM call.
   */
  plan(program: CompilableProgram, opts: CompileOptions): CompilePlan {
    return this.#search.plan(program, opts);
  }

  /** {@link KNNFewShot.plan} with tokens and cost (see `Optimizer.estimate`). Makes no LM call. */
  estimate(program: CompilableProgram, opts: CompileOptions & EstimateOptions): CompileEstimate {
    return this.#search.estimate(program, opts);
  }

  /** Builds the index (and bootstraps when asked); the student is not changed. */
  async compile<P extends CompilableProgram>(
    program: P,
    opts: CompileOptions,
  ): Promise<CompileResult<KNNProgram<P>>> {
    const { program: inner, report } = await this.#search.compile(program, opts);
    const index = this.#search.index as KnnIndex;
    const wrapped = new KNNProgram(inner, index);
    const prov = provenanceOf(inner);
    if (prov) attachProvenance(wrapped, prov);
    return { program: wrapped, report };
  }
}
