import {
  type Adapter,
  ChatAdapter,
  type Demo,
  type LanguageModel,
  type ModelPrice,
  type Predictor,
} from '@dspy-ts/core';
import { currentSettings, estimatePromptTokens, formatDollars, priceOf } from '@dspy-ts/core/internal';
import type { CompilableProgram, TrainExample } from './program.js';
import { predictorsOf } from './program.js';

/**
 * One line of a compile plan: the LM calls a phase makes at most, worked out from the
 * optimizer's settings and the data sizes.
 */
export interface PlannedStep {
  /** The phase, as the report names it (`bootstrap`, `propose`, `evaluate`, ...). */
  readonly phase: string;
  /** LM calls at most. */
  readonly calls: number;
  /** How the number follows from the settings. */
  readonly how: string;
  /**
   * `program`: runs of the program's predictors on examples (one call per predictor per run);
   * `meta`: calls that write instructions, summaries or rules, priced from `meta`.
   */
  readonly kind: 'program' | 'meta';
  /** For program calls: the most demos a predictor's prompt carries (default 0). */
  readonly demos?: number;
  /** For meta calls: train examples shown in the prompt, completion tokens per completion, completions per call. */
  readonly meta?: { readonly examples: number; readonly completionTokens: number; readonly n?: number };
  /** The LM of meta calls (a `promptModel` / `reflectionLM`), when not the program's. */
  readonly lm?: LanguageModel;
}

/** What a compile will do at most, before it runs (see `Optimizer.plan`). */
export interface CompilePlan {
  readonly optimizer: string;
  readonly predictors: number;
  readonly trainSize: number;
  readonly valSize: number;
  readonly steps: readonly PlannedStep[];
  /** LM calls at most, all phases. */
  readonly calls: number;
}

/** A plan line with its token counts and cost (its `lm` reduced to `model`). */
export interface EstimatedStep extends Omit<PlannedStep, 'lm'> {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** US dollars; undefined when the model has no price. */
  readonly cost: number | undefined;
  /** The model the line is priced for. */
  readonly model: string | undefined;
}

/** A {@link CompilePlan} with estimated tokens and cost (see `Optimizer.estimate`). */
export interface CompileEstimate extends CompilePlan {
  readonly steps: readonly EstimatedStep[];
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** US dollars at most; undefined when a model has no price. */
  readonly cost: number | undefined;
  /** The program's model, if one is configured. */
  readonly model: string | undefined;
  readonly price: ModelPrice | undefined;
  /** Train examples whose prompts were rendered to count tokens. */
  readonly sampled: number;
  readonly notes: readonly string[];
}

/** Options of `Optimizer.estimate`. */
export interface EstimateOptions {
  /** The program's LM (default: its predictors' own, else the configured one). */
  readonly lm?: LanguageModel;
  /** Train examples rendered to count tokens (default 10). */
  readonly sample?: number;
}

/** The most demos any predictor of `program` holds now. */
export function demosHeld(program: CompilableProgram): number {
  return Math.max(0, ...predictorsOf(program).map(([, p]) => p.demos.length));
}

/**
 * Teacher runs of one bootstrap at most: every train example is tried (`maxRounds` times) until
 * `maxBootstrappedDemos` pass; none when no demo is to be bootstrapped.
 */
export function bootstrapAttempts(trainSize: number, maxBootstrapped: number, maxRounds: number): number {
  return maxBootstrapped > 0 ? trainSize * maxRounds : 0;
}

/** A plan with its total. */
export function makePlan(
  optimizer: string,
  predictors: number,
  trainSize: number,
  valSize: number,
  steps: readonly PlannedStep[],
): CompilePlan {
  const kept = steps.filter((s) => s.calls > 0);
  return {
    optimizer,
    predictors,
    trainSize,
    valSize,
    steps: kept,
    calls: kept.reduce((n, s) => n + s.calls, 0),
  };
}

/** Tokens of a meta call's own instructions (what the proposer's signature says). */
const META_PROMPT_TOKENS = 400;
/** Completion tokens assumed for an output field the data has no value for (reasoning, ...). */
const UNKNOWN_OUTPUT_TOKENS = 100;
/** Tokens of a field's markers around its value. */
const FIELD_OVERHEAD = 8;

function tokensOf(value: unknown): number {
  if (value === undefined || value === null) return 0;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return Math.ceil(text.length / 4);
}

/** Prompt tokens of one call of `predictor` on `example` with `demos` demos (rendered by its adapter). */
function promptTokens(
  predictor: Predictor,
  adapter: Adapter,
  example: TrainExample,
  demos: readonly Demo[],
  lm: LanguageModel | undefined,
): number {
  const data = example.toJSON() as Record<string, unknown>;
  const inputs: Record<string, unknown> = {};
  for (const f of predictor.signature.inputs) inputs[f.name] = data[f.name] ?? '';
  try {
    const messages = adapter.format(predictor.signature, { demos, inputs, ...(lm ? { lm } : {}) });
    return estimatePromptTokens(messages);
  } catch {
    // A value the adapter cannot render (a media field without its file, ...): count the text.
    return META_PROMPT_TOKENS + tokensOf(inputs) + demos.reduce((n, d) => n + tokensOf(d), 0);
  }
}

/** Completion tokens of one call of `predictor`: its output fields as the example holds them. */
function completionTokens(predictor: Predictor, example: TrainExample): number {
  const data = example.toJSON() as Record<string, unknown>;
  let n = 0;
  for (const f of predictor.signature.outputs) {
    n += FIELD_OVERHEAD + (f.name in data ? tokensOf(data[f.name]) : UNKNOWN_OUTPUT_TOKENS);
  }
  return n;
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function costOfTokens(price: ModelPrice | undefined, prompt: number, completion: number): number | undefined {
  return price ? (prompt * price.input + completion * price.output) / 1_000_000 : undefined;
}

/**
 * Prices `plan`: renders the prompts of up to `sample` train examples through each predictor's
 * adapter (with as many demos as the step allows, taken from the trainset) to count tokens per
 * call, and prices them with the price table. Makes no LM call.
 */
export function estimatePlan(
  plan: CompilePlan,
  program: CompilableProgram,
  trainset: readonly TrainExample[],
  options: EstimateOptions = {},
): CompileEstimate {
  const settings = currentSettings();
  const predictors = predictorsOf(program).map(([, p]) => p);
  const lmOf = (p: Predictor) => options.lm ?? p.lm ?? settings.lm;
  const programLM = predictors.map(lmOf).find((lm) => lm !== undefined);
  const sample = trainset.slice(0, Math.max(1, options.sample ?? 10));
  const demoPool = trainset.map((e) => e.toJSON() as Demo);
  const exampleTokens = mean(trainset.slice(0, 32).map((e) => tokensOf(e.toJSON())));
  const notes: string[] = [];
  const perDemos = new Map<number, { prompt: number; completion: number; cost: number | undefined }>();
  /** One program run (every predictor once) with `demos` demos each. */
  const run = (demos: number) => {
    let hit = perDemos.get(demos);
    if (!hit) {
      let prompt = 0;
      let completion = 0;
      let cost: number | undefined = 0;
      for (const p of predictors) {
        const adapter = ((p as { adapter?: Adapter }).adapter ??
          settings.adapter ??
          new ChatAdapter()) as Adapter;
        const lm = lmOf(p);
        const shown = demoPool.slice(0, demos);
        const pt = mean(sample.map((e) => promptTokens(p, adapter, e, shown, lm)));
        const ct = mean(sample.map((e) => completionTokens(p, e)));
        prompt += pt;
        completion += ct;
        const c = costOfTokens(lm ? priceOf(lm.model) : undefined, pt, ct);
        cost = cost === undefined || c === undefined ? undefined : cost + c;
      }
      hit = { prompt, completion, cost };
      perDemos.set(demos, hit);
    }
    return hit;
  };
  const steps: EstimatedStep[] = plan.steps.map(({ lm: own, ...s }) => {
    if (s.kind === 'program') {
      const runs = s.calls / Math.max(1, predictors.length);
      const r = run(s.demos ?? 0);
      return {
        ...s,
        promptTokens: Math.round(r.prompt * runs),
        completionTokens: Math.round(r.completion * runs),
        cost: r.cost === undefined ? undefined : r.cost * runs,
        model: programLM?.model,
      };
    }
    const meta = s.meta ?? { examples: 0, completionTokens: 200 };
    const lm = own ?? programLM;
    const prompt = (META_PROMPT_TOKENS + meta.examples * exampleTokens) * s.calls;
    const completion = meta.completionTokens * (meta.n ?? 1) * s.calls;
    return {
      ...s,
      promptTokens: Math.round(prompt),
      completionTokens: Math.round(completion),
      cost: costOfTokens(lm ? priceOf(lm.model) : undefined, prompt, completion),
      model: lm?.model,
    };
  });
  const sum = (f: (s: EstimatedStep) => number) => steps.reduce((n, s) => n + f(s), 0);
  const unpriced = steps.some((s) => s.cost === undefined);
  if (!programLM) notes.push('no LM is configured: tokens are counted, the cost is not');
  else if (unpriced) {
    const models = [...new Set(steps.filter((s) => s.cost === undefined).map((s) => s.model ?? '?'))];
    notes.push(
      `no price for ${models.join(', ')}: add one with registerPrices({ '${models[0]}': { input, output } })`,
    );
  }
  notes.push(
    'calls are counted at most (every bootstrap attempt tried, no early stop); calls the cache answers cost nothing',
  );
  return {
    ...plan,
    steps,
    promptTokens: sum((s) => s.promptTokens),
    completionTokens: sum((s) => s.completionTokens),
    cost: unpriced ? undefined : sum((s) => s.cost ?? 0),
    model: programLM?.model,
    price: programLM ? priceOf(programLM.model) : undefined,
    sampled: sample.length,
    notes,
  };
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** A readable table of an estimate (what `dspy-ts compile --dry-run` prints). */
export function formatEstimate(e: CompileEstimate): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const money = (v: number | undefined) => (v === undefined ? 'n/a' : formatDollars(v));
  const rows = [
    ['phase', 'LM calls (at most)', 'prompt tokens', 'completion tokens', 'cost', 'how'],
    ...e.steps.map((s) => [
      s.phase,
      n(s.calls),
      n(s.promptTokens),
      n(s.completionTokens),
      money(s.cost),
      s.how,
    ]),
    ['total', n(e.calls), n(e.promptTokens), n(e.completionTokens), money(e.cost), ''],
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: readonly string[]) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : pad(cell, widths[i] ?? 0, i > 0 && i < 5)))
      .join('  ')
      .trimEnd();
  const out = [
    `${e.optimizer}: ${e.predictors} predictor(s), trainset ${e.trainSize}, valset ${e.valSize} — a plan; no LM call was made`,
    '',
    line(rows[0] as string[]),
    ...rows.slice(1, -1).map(line),
    line(widths.map((w) => '-'.repeat(w))),
    line(rows.at(-1) as string[]),
    '',
  ];
  if (e.model) {
    const price = e.price
      ? `${formatDollars(e.price.input)} / ${formatDollars(e.price.output)} per 1M input / output tokens`
      : 'no price known';
    out.push(`model: ${e.model} (${price}); tokens counted on ${e.sampled} rendered train example(s)`);
  }
  for (const note of e.notes) out.push(`note: ${note}`);
  return `${out.join('\n')}\n`;
}
