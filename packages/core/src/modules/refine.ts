import type { Prediction } from '../data/prediction.js';
import { SignatureSpec } from '../signature/spec.js';
import {
  type Attempt,
  checkRolloutOptions,
  type ModuleLike,
  type RolloutOptions,
  runRollouts,
} from './best-of-n.js';
import { ModuleBase } from './module.js';
import { PredictBase } from './predict.js';
import type { Predictor } from './types.js';
import { walkModule } from './walk.js';

const ADVICE_INSTRUCTIONS = [
  'A program made of several modules ran on the inputs below and its outputs scored below the target reward.',
  'Study the trajectory: what each module received and produced. In `discussion`, explain which modules',
  'led to the shortfall and why. Then in `advice`, map each module name that should change to concrete,',
  'actionable guidance it can follow on its next run on these inputs. Leave out modules that did well.',
].join('\n');

const json = (typeText: string) => ({ schema: { type: 'object' as const }, typeText });

/** The signature of Refine's advice step. */
export const REFINE_ADVICE_SPEC = new SignatureSpec({
  name: 'RefineAdvice',
  instructions: ADVICE_INSTRUCTIONS,
  inputs: [
    { name: 'program_inputs', ...json('Record<string, unknown>'), description: 'The inputs of the program' },
    {
      name: 'program_trajectory',
      schema: { type: 'array', items: { type: 'object' } },
      typeText: 'Array<{ module: string; inputs: object; outputs: object }>',
      description: 'Each module call of the run, in order',
    },
    {
      name: 'program_outputs',
      ...json('Record<string, unknown>'),
      description: 'The outputs of the program',
    },
    {
      name: 'reward_value',
      schema: { type: 'number' },
      typeText: 'number',
      description: 'The reward of this run',
    },
    {
      name: 'target_threshold',
      schema: { type: 'number' },
      typeText: 'number',
      description: 'The reward to reach',
    },
    {
      name: 'module_names',
      schema: { type: 'array', items: { type: 'string' } },
      typeText: 'string[]',
      description: 'The modules that can take advice',
    },
  ],
  outputs: [
    {
      name: 'discussion',
      schema: { type: 'string' },
      typeText: 'string',
      description: 'What went wrong, and where',
    },
    {
      name: 'advice',
      schema: { type: 'object', additionalProperties: { type: 'string' } },
      typeText: 'Record<string, string>',
      description: 'For each module name that should change, what it should do differently',
    },
  ],
});

function plain(value: unknown): Record<string, unknown> {
  if (value && typeof value === 'object') {
    const toJSON = (value as { toJSON?: () => unknown }).toJSON;
    const v = typeof toJSON === 'function' ? toJSON.call(value) : value;
    if (v && typeof v === 'object') return { ...(v as Record<string, unknown>) };
  }
  return { value };
}

/**
 * Like {@link BestOfN}, but after each attempt that misses the threshold an advice step (an LM
 * call over {@link REFINE_ADVICE_SPEC}) reads the run's trajectory and writes a hint per
 * predictor; the next attempt's predictors see their hint as an extra `hint_` input.
 * The advice predictor is not one of the program's predictors (it is not optimized or saved).
 *
 * @example
 * ```ts
 * const refine = new Refine(qa, { N: 3, threshold: 1, rewardFn: (_x, p) => Number(p.answer === p.answer.trim()) });
 * const pred = await refine.forward({ question });
 * ```
 */
export class Refine<I, O> extends ModuleBase<I, O> {
  /** The module run on each attempt. */
  readonly module: ModuleLike<I, O>;
  private readonly opts: RolloutOptions<I, O>;
  /** Hints given on the last call, by predictor path (for inspection). */
  declare lastHints: Readonly<Record<string, string>>;
  declare private readonly adviser: PredictBase;

  constructor(module: ModuleLike<I, O>, opts: RolloutOptions<I, O>) {
    super();
    checkRolloutOptions('Refine', opts as RolloutOptions<never, never>);
    this.module = module;
    this.opts = opts;
    Object.defineProperty(this, 'adviser', { value: new PredictBase(REFINE_ADVICE_SPEC), writable: true });
    Object.defineProperty(this, 'lastHints', { value: {}, writable: true });
  }

  /** Runs attempts with advice between them; returns the best prediction. */
  override async forward(inputs: I): Promise<O> {
    let hints: ReadonlyMap<Predictor, string> | undefined;
    this.lastHints = {};
    return runRollouts('Refine', this.module, inputs, this.opts, {
      hints: () => hints,
      after: async (attempt, _i) => {
        hints = await this.advise(inputs, attempt);
      },
    });
  }

  private async advise(inputs: I, attempt: Attempt<O>): Promise<ReadonlyMap<Predictor, string>> {
    const named = walkModule(this.module).predictors;
    const pathOf = new Map<Predictor, string>(named.map(([path, p]) => [p, path]));
    const names = named.map(([path]) => path);
    const trajectory = attempt.trace.map((e) => ({
      module: pathOf.get(e.predictor) ?? 'unknown',
      inputs: e.inputs,
      outputs: e.outputs,
    }));
    const lm = named.find(([, p]) => p.lm)?.[1].lm;
    const pred = (await this.adviser.forward(
      {
        program_inputs: plain(inputs),
        program_trajectory: trajectory,
        program_outputs: plain(attempt.prediction),
        reward_value: attempt.reward,
        target_threshold: this.opts.threshold,
        module_names: names,
      },
      lm ? { lm } : undefined,
    )) as unknown as Prediction<{ advice: Record<string, string> }>;
    const advice = pred.advice ?? {};
    const out = new Map<Predictor, string>();
    const given: Record<string, string> = {};
    for (const [path, p] of named) {
      const hint = advice[path];
      if (typeof hint === 'string' && hint.trim() !== '') {
        out.set(p, hint);
        given[path] = hint;
      }
    }
    this.lastHints = given;
    return out;
  }
}
