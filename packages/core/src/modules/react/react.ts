import type { Adapter } from '../../adapters/types.js';
import { Prediction } from '../../data/prediction.js';
import { DspyError, isDspyError } from '../../errors.js';
import type { LanguageModel } from '../../lm/types.js';
import { addUsage, type Usage, ZERO_USAGE } from '../../lm/types.js';
import { logger } from '../../settings.js';
import { type InputsOf, type OutputsOf, type SignatureTarget, specOf } from '../../signature/index.js';
import { type FieldSpec, SignatureSpec } from '../../signature/spec.js';
import { tracedTool } from '../../telemetry/index.js';
import { ChainOfThoughtBase, type WithReasoning } from '../chain-of-thought.js';
import type { CallConfig } from '../config.js';
import type { AsFields, Fields } from '../fields.js';
import { ModuleBase } from '../module.js';
import { Predict, type PredictBase } from '../predict.js';
import { isTool, type Tool } from './tool.js';
import {
  FINISH_TOOL,
  observationText,
  type ReActStep,
  reactInstructions,
  renderTrajectory,
} from './trajectory.js';

type Spec = SignatureSpec<object, object>;

/** Options of {@link ReAct}. */
export interface ReActOptions {
  /** The tools the agent may call (from `tool(fn)` or `toolsOf(instance)`). */
  readonly tools: readonly Tool[];
  /** Most tool calls before the outputs are extracted anyway (default 20). */
  readonly maxIters?: number;
  /** Most times the oldest step is dropped when the prompt overflows the context window (default 3). */
  readonly maxTruncations?: number;
  /** The LM of both predictors (else the settings' LM). */
  readonly lm?: LanguageModel;
  /** The adapter of both predictors. */
  readonly adapter?: Adapter;
}

/** The inputs of the `react` predictor. */
export type ReActInputs<I> = I & { trajectory: string };

/** The outputs of the `react` predictor: a thought and the next tool call. */
export interface ReActNext {
  nextThought: string;
  nextToolName: string;
  nextToolArgs: Record<string, unknown>;
}

/** What a ReAct run returns: the signature's outputs, the extractor's reasoning, and the steps taken. */
export type WithTrajectory<O> = WithReasoning<O> & { trajectory: readonly ReActStep[] };

const TRAJECTORY: FieldSpec = Object.freeze({
  name: 'trajectory',
  schema: { type: 'string' },
  typeText: 'string',
});

function invalid(message: string, fix: string): DspyError {
  return new DspyError('MODULE_INVALID', `ReAct: ${message}`, { details: { where: 'ReAct', fix } });
}

function checkTools(tools: unknown): readonly Tool[] {
  if (!Array.isArray(tools))
    throw invalid('`tools` must be an array of tools.', 'Pass { tools: [tool(fn)] }.');
  const seen = new Set<string>();
  for (const t of tools) {
    if (!isTool(t))
      throw invalid(
        'every tool must be made with tool(fn) or toolsOf(instance).',
        'Wrap functions with tool().',
      );
    if (t.name === FINISH_TOOL)
      throw invalid(`'${FINISH_TOOL}' is reserved for ending the run.`, 'Give the tool another name.');
    if (seen.has(t.name))
      throw invalid(`two tools are named '${t.name}'.`, 'Give every tool a distinct name.');
    seen.add(t.name);
  }
  return tools as readonly Tool[];
}

function reactSpec(spec: Spec, tools: readonly Tool[]): Spec {
  const names = [...tools.map((t) => t.name), FINISH_TOOL];
  const outputs: FieldSpec[] = [
    { name: 'nextThought', schema: { type: 'string' }, typeText: 'string' },
    {
      name: 'nextToolName',
      schema: { type: 'string', enum: names },
      typeText: names.map((n) => `'${n}'`).join(' | '),
    },
    { name: 'nextToolArgs', schema: { type: 'object' }, typeText: 'Record<string, unknown>' },
  ];
  return new SignatureSpec({
    name: `${spec.name}.react`,
    instructions: reactInstructions(spec, tools),
    inputs: [...spec.inputs, TRAJECTORY],
    outputs,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** LM parameters of a call, without what belongs to one predictor (demos, instructions, history). */
function sharedConfig(config: CallConfig | undefined): CallConfig | undefined {
  if (!config) return undefined;
  const { demos: _d, instructions: _i, history: _h, ...rest } = config;
  return rest;
}

/** A running total of the LM usage of a run. */
interface Tally {
  usage: Usage;
  cost: number;
  lmCalls: number;
}

/**
 * A tool-using agent after DSPy's ReAct: the `react` predictor picks a thought and a tool call
 * per step, tools run and their results (or `Error: ...`) come back as observations, until the
 * model calls `finish` or `maxIters` is reached; then the `extract` chain of thought writes the
 * signature's outputs from the inputs and the trajectory. Predictors: `react`, `extract.predict`.
 */
export class ReActBase<I extends object = Fields, O extends object = Fields> extends ModuleBase<
  I,
  Prediction<AsFields<WithTrajectory<O>>>
> {
  /** Picks the next thought and tool call. */
  readonly react: PredictBase<ReActInputs<I>, ReActNext>;
  /** Writes the outputs from the inputs and the trajectory. */
  readonly extract: ChainOfThoughtBase<ReActInputs<I>, O>;
  /** The tools by name. */
  readonly tools: ReadonlyMap<string, Tool>;
  readonly maxIters: number;
  readonly maxTruncations: number;
  private readonly signatureName: string;

  constructor(target: SignatureTarget, opts: ReActOptions) {
    super();
    const spec = specOf(target) as Spec;
    if (spec.field('trajectory'))
      throw invalid(`the signature ${spec.name} already has a 'trajectory' field.`, 'Rename that field.');
    const tools = checkTools(opts?.tools);
    const { maxIters = 20, maxTruncations = 3 } = opts;
    if (!Number.isInteger(maxIters) || maxIters < 1)
      throw invalid(`maxIters must be a positive integer, got ${maxIters}.`, 'Pass { maxIters: 20 }.');
    if (!Number.isInteger(maxTruncations) || maxTruncations < 0)
      throw invalid(
        `maxTruncations must be a whole number, got ${maxTruncations}.`,
        'Pass { maxTruncations: 3 }.',
      );
    this.maxIters = maxIters;
    this.maxTruncations = maxTruncations;
    this.signatureName = spec.name;
    this.tools = new Map(tools.map((t) => [t.name, t]));
    const shared = { lm: opts.lm, adapter: opts.adapter };
    this.react = new Predict(reactSpec(spec, tools), shared) as unknown as PredictBase<
      ReActInputs<I>,
      ReActNext
    >;
    const extractSpec = spec.withName(`${spec.name}.extract`).withField('input', TRAJECTORY);
    this.extract = new ChainOfThoughtBase<ReActInputs<I>, O>(extractSpec, shared);
  }

  /** `ReAct(QA)`: the name used in callbacks and errors. */
  describe(): string {
    return `ReAct(${this.signatureName})`;
  }

  /**
   * Runs the agent loop, then extracts the outputs. The prediction carries `trajectory`.
   *
   * @example
   * ```ts
   * const agent = new ReAct('question -> answer', { tools: [tool(search)] });
   * const pred = await agent.forward({ question: 'Who wrote Dune?' });
   * pred.answer; pred.trajectory[0]?.toolName;
   * ```
   */
  override async forward(inputs: I, config?: CallConfig): Promise<Prediction<AsFields<WithTrajectory<O>>>> {
    const call = sharedConfig(config);
    const steps: ReActStep[] = [];
    const window = { start: 0 };
    const tally: Tally = { usage: ZERO_USAGE, cost: 0, lmCalls: 0 };
    for (let i = 0; i < this.maxIters; i++) {
      const next = await this.nextStep(inputs, call, steps, window, tally);
      if (!next) break;
      const thought = String(next.nextThought ?? '');
      const toolName = String(next.nextToolName ?? '');
      const toolArgs = isRecord(next.nextToolArgs) ? next.nextToolArgs : {};
      if (toolName === FINISH_TOOL) {
        steps.push({ thought, toolName, toolArgs, observation: 'Completed.' });
        break;
      }
      steps.push({ thought, toolName, toolArgs, observation: await this.observe(toolName, toolArgs) });
    }
    const extracted = await this.fitting(steps, window, tally, (trajectory) =>
      this.extract.forward({ ...inputs, trajectory }, call),
    );
    const outputs = { ...extracted.toJSON(), trajectory: Object.freeze([...steps]) };
    return new Prediction(outputs as AsFields<WithTrajectory<O>>, tally);
  }

  /** The model's next step, or undefined when its answer cannot be parsed (the loop then ends). */
  private async nextStep(
    inputs: I,
    call: CallConfig | undefined,
    steps: readonly ReActStep[],
    window: { start: number },
    tally: Tally,
  ): Promise<ReActNext | undefined> {
    try {
      return await this.fitting(steps, window, tally, (trajectory) =>
        this.react.forward({ ...inputs, trajectory }, call),
      );
    } catch (err) {
      if (!isDspyError(err, 'ADAPTER_PARSE')) throw err;
      logger().warn(
        `${this.describe()}: ending the tool loop after an unreadable step: ${err.message.split('\n')[0]}`,
      );
      return undefined;
    }
  }

  private async observe(toolName: string, args: Record<string, unknown>): Promise<string> {
    const t = this.tools.get(toolName);
    if (!t)
      return `Error: there is no tool named '${toolName}'; use one of: ${[...this.tools.keys(), FINISH_TOOL].join(', ')}.`;
    try {
      return observationText(await tracedTool(t.name, undefined, args, () => t.call(args)));
    } catch (err) {
      const msg = err instanceof Error ? err.message.split('\n  How to fix:')[0] : String(err);
      return `Error: ${msg}`;
    }
  }

  /**
   * Calls a predictor with the rendered trajectory; when the prompt overflows the context
   * window, drops the oldest step and tries again (at most `maxTruncations` times per run).
   */
  private async fitting<P extends Prediction<Fields>>(
    steps: readonly ReActStep[],
    window: { start: number },
    tally: Tally,
    run: (trajectory: string) => Promise<P>,
  ): Promise<P> {
    for (;;) {
      try {
        const pred = await run(renderTrajectory(steps.slice(window.start), window.start));
        tally.usage = addUsage(tally.usage, pred.usage);
        tally.cost += pred.cost;
        tally.lmCalls += pred.lmCalls;
        return pred;
      } catch (err) {
        if (!isDspyError(err, 'LM_CONTEXT_OVERFLOW')) throw err;
        const dropped = window.start;
        if (dropped >= steps.length || dropped >= this.maxTruncations) {
          throw new DspyError(
            'LM_CONTEXT_OVERFLOW',
            `${this.describe()}: the prompt overflows the context window even after dropping ${dropped} of ${steps.length} steps.`,
            {
              cause: err,
              details: {
                where: this.describe(),
                fix: 'Shorten the inputs or tool results, lower maxIters, raise maxTruncations, or use a model with a larger context window.',
              },
            },
          );
        }
        window.start += 1;
        logger().warn(`${this.describe()}: context window exceeded; dropping the oldest step and retrying.`);
      }
    }
  }
}

/** Constructor of {@link ReAct}: infers input and output types from the signature. */
export interface ReActConstructor {
  new <T extends SignatureTarget>(target: T, opts: ReActOptions): ReActBase<InputsOf<T>, OutputsOf<T>>;
  readonly prototype: ReActBase;
}

/**
 * A ReAct agent over a signature and tools.
 *
 * @example
 * ```ts
 * const agent = new ReAct('question: string -> answer: string', { tools: [tool(search)], maxIters: 5 });
 * const { answer, trajectory } = await agent.forward({ question: 'Capital of France?' });
 * ```
 */
Object.defineProperty(ReActBase, 'name', { value: 'ReAct' });

export const ReAct = ReActBase as unknown as ReActConstructor;
/** A {@link ReActBase} over inputs `I` and outputs `O`. */
export type ReAct<I extends object = Fields, O extends object = Fields> = ReActBase<I, O>;
