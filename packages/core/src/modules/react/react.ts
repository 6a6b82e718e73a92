import { Prediction } from '../../data/prediction.js';
import { DspyError, isDspyError } from '../../errors.js';
import { ZERO_USAGE } from '../../lm/types.js';
import { logger } from '../../settings.js';
import { HISTORY_SCHEMA, History } from '../../signature/history.js';
import { type InputsOf, type OutputsOf, type SignatureTarget, specOf } from '../../signature/index.js';
import { type FieldSpec, SignatureSpec } from '../../signature/spec.js';
import type { AgentStep } from '../../tools/agent-step.js';
import { TOOL_CALLS_SCHEMA, TOOLS_SCHEMA } from '../../tools/field-types.js';
import { readToolCalls, type ToolCalls, type ToolResult } from '../../tools/tool-calls.js';
import { ChainOfThoughtBase, type WithReasoning } from '../chain-of-thought.js';
import type { CallConfig } from '../config.js';
import { runContext } from '../context.js';
import type { AsFields, Fields } from '../fields.js';
import { ModuleBase } from '../module.js';
import { Predict, type PredictBase } from '../predict.js';
import { fitContext, type StepWindow, type Tally } from './fit-context.js';
import { invalid, type ReActOptions, reactAdapter, readOptions } from './options.js';
import type { Tool } from './tool.js';
import { FINISH_TOOL, finishTool, reactInstructions, renderTrajectory } from './trajectory.js';

type Spec = SignatureSpec<object, object>;

/** The inputs of the `react` predictor: the signature's, the tools, and the steps so far. */
export type ReActInputs<I> = I & { tools: readonly Tool[]; trajectory: History<AgentStep> };

/** The inputs of the `extract` predictor: the signature's and the readable text of the steps. */
export type ReActExtractInputs<I> = I & { trajectory: string };

/** The outputs of the `react` predictor: a thought and the tool calls of the turn. */
export interface ReActNext {
  nextThought: string;
  toolCalls: ToolCalls;
}

/** What a ReAct run returns: the signature's outputs, the extractor's reasoning, and every step. */
export type WithTrajectory<O> = WithReasoning<O> & { trajectory: History<AgentStep> };

const TRAJECTORY_TEXT: FieldSpec = Object.freeze({
  name: 'trajectory',
  schema: { type: 'string' },
  typeText: 'string',
  description: 'The steps taken: thoughts, tool calls and their results',
});

function reactSpec(spec: Spec): Spec {
  return new SignatureSpec({
    name: `${spec.name}.react`,
    instructions: reactInstructions(spec),
    inputs: [
      ...spec.inputs,
      { name: 'tools', schema: TOOLS_SCHEMA, typeText: 'Tool[]' },
      { name: 'trajectory', schema: HISTORY_SCHEMA, typeText: 'History' },
    ],
    outputs: [
      { name: 'nextThought', schema: { type: 'string' }, typeText: 'string' },
      { name: 'toolCalls', schema: TOOL_CALLS_SCHEMA, typeText: 'ToolCalls' },
    ],
  });
}

/** LM parameters of a call, without what belongs to one predictor (demos, instructions, history). */
function sharedConfig(config: CallConfig | undefined): CallConfig | undefined {
  if (!config) return undefined;
  const { demos: _d, instructions: _i, history: _h, ...rest } = config;
  return rest;
}

/**
 * A tool-using agent after DSPy's ReAct, on tool calls: each turn the `react` predictor writes a
 * thought and calls tools (several at once when they are independent; natively through the
 * provider's function calling, or as a text field); the calls of a turn run concurrently and
 * their results (or `Error: ...`) are fed back under their call ids; a `finish` call, a turn
 * without calls, or `maxIters` ends the loop; then the `extract` chain of thought writes the
 * signature's outputs from the inputs and the steps. Predictors: `react`, `extract.predict`.
 */
export class ReActBase<I extends object = Fields, O extends object = Fields> extends ModuleBase<
  I,
  Prediction<AsFields<WithTrajectory<O>>>
> {
  /** Writes the next thought and tool calls. */
  readonly react: PredictBase<ReActInputs<I>, ReActNext>;
  /** Writes the outputs from the inputs and the trajectory. */
  readonly extract: ChainOfThoughtBase<ReActExtractInputs<I>, O>;
  /** The user's tools by name. */
  readonly tools: ReadonlyMap<string, Tool>;
  readonly maxIters: number;
  readonly maxTruncations: number;
  /** Most calls of one turn running at once. */
  readonly maxParallelTools: number;
  /** Time each tool call may take, in ms. */
  readonly toolTimeoutMs: number;
  /** The tools the `react` predictor is given: the user's and `finish`. */
  private readonly callable: readonly Tool[];
  private readonly signatureName: string;

  constructor(target: SignatureTarget, opts: ReActOptions) {
    super();
    const spec = specOf(target) as Spec;
    const settings = readOptions(opts);
    for (const name of ['tools', 'trajectory']) {
      if (spec.field(name))
        throw invalid(`the signature ${spec.name} already has a '${name}' field.`, 'Rename that field.');
    }
    this.maxIters = settings.maxIters;
    this.maxTruncations = settings.maxTruncations;
    this.maxParallelTools = settings.maxParallelTools;
    this.toolTimeoutMs = settings.toolTimeoutMs;
    this.signatureName = spec.name;
    this.tools = new Map(settings.tools.map((t) => [t.name, t]));
    this.callable = [...settings.tools, finishTool(spec)];
    const turns = { lm: settings.lm, adapter: reactAdapter(settings) };
    this.react = new Predict(reactSpec(spec), turns) as unknown as PredictBase<ReActInputs<I>, ReActNext>;
    const extractSpec = spec.withName(`${spec.name}.extract`).withField('input', TRAJECTORY_TEXT);
    const shared = { lm: settings.lm, adapter: settings.adapter };
    this.extract = new ChainOfThoughtBase<ReActExtractInputs<I>, O>(extractSpec, shared);
  }

  /** `ReAct(QA)`: the name used in callbacks and errors. */
  describe(): string {
    return `ReAct(${this.signatureName})`;
  }

  /**
   * Runs the agent loop, then extracts the outputs. The prediction carries `trajectory`, a
   * `History` of every step (thought, calls with ids, results), and the usage of the whole run.
   *
   * @example
   * ```ts
   * const agent = new ReAct('question -> answer', { tools: [tool(search)] });
   * const pred = await agent.forward({ question: 'Who wrote Dune?' });
   * pred.answer; pred.trajectory.messages[0]?.toolCalls.calls[0]?.name; // 'search'
   * ```
   */
  override async forward(inputs: I, config?: CallConfig): Promise<Prediction<AsFields<WithTrajectory<O>>>> {
    const call = sharedConfig(config);
    const signal = config?.signal ?? runContext.getStore()?.signal;
    const window: StepWindow = { steps: [], start: 0 };
    const tally: Tally = { usage: ZERO_USAGE, cost: 0, lmCalls: 0 };
    for (let turn = 1; turn <= this.maxIters; turn++) {
      const next = await this.nextTurn(inputs, call, window, tally);
      if (!next) break;
      const calls = next.toolCalls.withIds(`call_${turn}_`);
      const results = await this.runCalls(calls, signal);
      if (signal?.aborted) throw this.aborted(turn, signal);
      window.steps.push(Object.freeze({ thought: next.thought, toolCalls: calls, results }));
      if (calls.length === 0 || calls.calls.some((c) => c.name === FINISH_TOOL)) break;
    }
    const extracted = await fitContext(
      this.describe(),
      this.maxTruncations,
      window,
      tally,
      (visible, omitted) =>
        this.extract.forward({ ...inputs, trajectory: renderTrajectory(visible, omitted) }, call),
    );
    const outputs = { ...extracted.toJSON(), trajectory: new History<AgentStep>(window.steps) };
    return new Prediction(outputs as AsFields<WithTrajectory<O>>, tally);
  }

  /** The model's next turn, or undefined when its answer cannot be read (the loop then ends). */
  private async nextTurn(
    inputs: I,
    call: CallConfig | undefined,
    window: StepWindow,
    tally: Tally,
  ): Promise<{ thought: string; toolCalls: ToolCalls } | undefined> {
    let pred: Prediction<AsFields<ReActNext>>;
    try {
      pred = await fitContext(this.describe(), this.maxTruncations, window, tally, (visible) =>
        this.react.forward({ ...inputs, tools: this.callable, trajectory: new History([...visible]) }, call),
      );
    } catch (err) {
      if (!isDspyError(err, 'ADAPTER_PARSE')) throw err;
      this.endEarly(err.message.split('\n')[0] ?? err.message);
      return undefined;
    }
    const read = readToolCalls(pred.toolCalls ?? []);
    if (!read.ok) {
      this.endEarly(`the tool calls cannot be read: ${read.reason}`);
      return undefined;
    }
    return { thought: String(pred.nextThought ?? ''), toolCalls: read.value };
  }

  /** The error of a run whose signal fired while its tools ran (the LM is not asked again). */
  private aborted(turn: number, signal: AbortSignal): DspyError {
    return new DspyError(
      'ABORTED',
      `${this.describe()}: the run was aborted during the tool calls of turn ${turn}.`,
      {
        cause: signal.reason,
        details: {
          where: this.describe(),
          fix: 'Nothing to fix if the abort was intended; otherwise do not abort the signal passed to forward().',
        },
      },
    );
  }

  private endEarly(reason: string): void {
    logger().warn(`${this.describe()}: ending the tool loop after an unreadable step: ${reason}`);
  }

  /** Runs the calls of one turn concurrently; reports each start and end to a stream that wants them. */
  private async runCalls(calls: ToolCalls, signal: AbortSignal | undefined): Promise<readonly ToolResult[]> {
    const sink = runContext.getStore()?.sink;
    const react = this.react;
    const streaming = sink?.tool !== undefined && sink.wants(react);
    const results = await calls.execute(this.callable, {
      concurrency: this.maxParallelTools,
      timeoutMs: this.toolTimeoutMs,
      ...(signal ? { signal } : {}),
      ...(streaming
        ? {
            onCallStart: (c) => sink.tool?.(react, 'toolCalls', { type: 'tool_call', call: c }),
            onResult: (result) => sink.tool?.(react, 'toolCalls', { type: 'tool_result', result }),
          }
        : {}),
    });
    return Object.freeze(results);
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
