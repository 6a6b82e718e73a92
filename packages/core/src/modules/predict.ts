import { ChatAdapter } from '../adapters/chat-adapter.js';
import { ensureSpecValidators } from '../adapters/ensure-validators.js';
import type { Adapter, AdapterCallResult, Demo } from '../adapters/types.js';
import { emit, newCallId } from '../callbacks.js';
import { fieldProblems } from '../data/field-check.js';
import { Prediction } from '../data/prediction.js';
import { DspyError } from '../errors.js';
import { addUsage, type LanguageModel, type LMRequest, type Usage, ZERO_USAGE } from '../lm/types.js';
import { currentSettings, type Settings } from '../settings.js';
import { type InputsOf, type OutputsOf, type SignatureTarget, specOf } from '../signature/index.js';
import type { FieldSpec, SignatureSpec } from '../signature/spec.js';
import { tracedPredict } from '../telemetry/index.js';
import { isToolsField } from '../tools/field-types.js';
import { type CallConfig, hasParams, type LMParams, type PredictOptions, pickParams } from './config.js';
import { type RunContext, runContext } from './context.js';
import type { AsFields, Fields } from './fields.js';
import { inputsInvalid } from './input-errors.js';
import { ModuleBase, markSelfEmitting } from './module.js';
import type { StreamEvent } from './stream-events.js';
import { streamPredictor } from './streamify.js';
import './method-runner.js';
import type { Predictor, PredictorState } from './types.js';

type Spec = SignatureSpec<object, object>;
type Params = Partial<Omit<LMRequest, 'messages'>>;

/** A predictor's identity that survives `clone()` (streaming listeners match on it). */
const LINEAGE: unique symbol = Symbol.for('dspy-ts.predictorLineage');
let lineageCounter = 0;

/** The hint field `Refine` adds to a predictor's inputs on later attempts. */
const HINT_FIELD: FieldSpec = Object.freeze({
  name: 'hint_',
  schema: { type: 'string' },
  typeText: 'string',
  description: 'A hint to the module from an earlier run',
});

let defaultAdapter: Adapter | undefined;

/** The adapter used when neither the call, the predictor nor the settings name one. @internal */
export function fallbackAdapter(): Adapter {
  defaultAdapter ??= new ChatAdapter();
  return defaultAdapter;
}

/**
 * The basic predictor: formats a signature, demos and inputs with an adapter, calls the LM,
 * parses and validates the outputs. Holds the learnable state optimizers change.
 * A `Predict` is a module whose only predictor is itself, at path `self`.
 */
export class PredictBase<I extends object = Fields, O extends object = Fields>
  extends ModuleBase<I, Prediction<AsFields<O>>>
  implements Predictor
{
  declare readonly isPredictor: true;
  /** Demos shown before the inputs. */
  demos: Demo[];
  /** The LM of this predictor (else the settings' LM). */
  lm: LanguageModel | undefined;
  /** The adapter of this predictor (else the settings' adapter, else `ChatAdapter`). */
  adapter: Adapter | undefined;
  /** LM parameters merged into every call (per-call config and scoped settings win). */
  readonly params: LMParams;
  private baseSignature: Spec;
  private currentSignature: Spec;
  private requiredInputs: readonly string[];
  private readonly requestDefaults: Params;
  private instructionsCache: { base: Spec; spec: Spec } | undefined;
  private readonly [LINEAGE]: number;

  constructor(target: SignatureTarget, opts: PredictOptions = {}) {
    super();
    let spec = specOf(target) as Spec;
    if (opts.instructions !== undefined) spec = spec.withInstructions(opts.instructions);
    this.baseSignature = spec;
    this.currentSignature = spec;
    this.requiredInputs = requiredInputsOf(spec);
    this.demos = opts.demos ? [...opts.demos] : [];
    this.lm = opts.lm;
    this.adapter = opts.adapter;
    this.params = Object.freeze(pickParams(opts));
    this.requestDefaults = this.params;
    lineageCounter += 1;
    this[LINEAGE] = lineageCounter;
  }

  /** The signature given at construction (what `reset()` restores; its hash is saved in artifacts). */
  get declaredSignature(): Spec {
    return this.baseSignature;
  }

  /** The signature as it is now (learned instructions and field overrides included). */
  get signature(): Spec {
    return this.currentSignature;
  }

  set signature(spec: Spec) {
    this.currentSignature = spec;
    this.requiredInputs = requiredInputsOf(spec);
  }

  /** `Predict(QA)`: the name used in callbacks and errors. */
  describe(): string {
    return `${this.constructor.name}(${this.currentSignature.name})`;
  }

  /**
   * Runs the predictor on `inputs`. Inputs are checked against the signature's field schemas
   * before any LM call: every missing or mistyped input is listed in one `INPUT_INVALID` error.
   *
   * @example
   * ```ts
   * const qa = new Predict('question -> answer');
   * const pred = await qa.forward({ question: 'What is 2+2?' }, { temperature: 0 });
   * pred.answer;
   * ```
   */
  override forward(inputs: I, config?: CallConfig): Promise<Prediction<AsFields<O>>> {
    const settings = currentSettings();
    const callbacks = settings.callbacks;
    if (!callbacks || callbacks.length === 0)
      return tracedPredict(this, inputs, () => this.run(inputs, config, settings));
    return tracedPredict(this, inputs, () => this.observed(inputs, config, settings));
  }

  /** `forward` with `moduleStart` / `moduleEnd` events around the call. */
  private async observed(
    inputs: I,
    config: CallConfig | undefined,
    settings: Settings,
  ): Promise<Prediction<AsFields<O>>> {
    const callId = newCallId();
    const module = this.describe();
    emit('moduleStart', { callId, module, inputs: inputs as Fields });
    try {
      const outputs = await this.run(inputs, config, settings);
      emit('moduleEnd', { callId, module, outputs });
      return outputs;
    } catch (error) {
      emit('moduleEnd', { callId, module, error });
      throw error;
    }
  }

  /**
   * Streams the call: typed per-field text deltas as the LM writes them, then the final
   * validated prediction. Falls back to one delta per field when the LM cannot stream.
   *
   * @example
   * ```ts
   * for await (const ev of qa.stream({ question })) {
   *   if (ev.type === 'delta') process.stdout.write(ev.delta);
   *   else console.log(ev.prediction.answer);
   * }
   * ```
   */
  stream(inputs: I, config?: CallConfig): AsyncIterable<StreamEvent<AsFields<O>>> {
    return streamPredictor(this, () => this.forward(inputs, config));
  }

  private async run(
    inputs: I,
    config: CallConfig | undefined,
    settings: Settings,
  ): Promise<Prediction<AsFields<O>>> {
    const values = inputs as Fields;
    const validators = ensureSpecValidators(this.currentSignature);
    if (validators) await validators;
    this.checkInputs(values);
    const lm = config?.lm ?? this.lm ?? settings.lm;
    if (!lm) throw this.noLM();
    const adapter = config?.adapter ?? this.adapter ?? settings.adapter ?? fallbackAdapter();
    const ctx = runContext.getStore();
    const request = this.request(config, ctx?.signal);
    let spec =
      config?.instructions === undefined
        ? this.currentSignature
        : this.withCallInstructions(config.instructions);
    let callInputs: Readonly<Fields> = values;
    const hint = ctx?.hints?.get(this);
    if (hint !== undefined) {
      spec = spec.withField('input', HINT_FIELD);
      callInputs = { ...values, hint_: hint };
    }
    const args = {
      lm,
      demos: config?.demos ?? this.demos,
      inputs: callInputs,
      request,
      history: config?.history,
    };
    const result: AdapterCallResult = ctx?.sink?.wants(this)
      ? await (await import('./stream-call.js')).streamCall(this, spec, adapter, args, ctx.sink)
      : await adapter.call(spec, args);
    const prediction = toPrediction<AsFields<O>>(result);
    if (ctx?.trace) record(ctx, this as PredictBase<object, object>, values, prediction);
    return prediction;
  }

  /** The current signature with other instructions (the last one is kept, so repeated calls reuse it). */
  private withCallInstructions(instructions: string): Spec {
    const cached = this.instructionsCache;
    if (cached && cached.base === this.currentSignature && cached.spec.instructions === instructions)
      return cached.spec;
    const spec = this.currentSignature.withInstructions(instructions);
    this.instructionsCache = { base: this.currentSignature, spec };
    return spec;
  }

  /**
   * Request parameters: the predictor's, then the call's. `callLM` applies scoped settings over
   * them. The call's signal wins over the run's (an `evaluate` run that stops aborts its calls).
   */
  private request(config: CallConfig | undefined, runSignal: AbortSignal | undefined): Params {
    const signal = config?.signal ?? runSignal;
    const own = config !== undefined && hasParams(config);
    if (!own) return signal ? { ...this.requestDefaults, signal } : this.requestDefaults;
    const req: Params = { ...this.requestDefaults, ...pickParams(config) };
    return signal ? Object.assign(req, { signal }) : req;
  }

  private checkInputs(values: Fields): void {
    const spec = this.currentSignature;
    if (typeof values !== 'object' || values === null) {
      throw new DspyError('INPUT_INVALID', `${this.describe()}: inputs must be an object.`, {
        details: { where: this.describe(), fix: `Call forward({ ${this.requiredInputs.join(', ')} }).` },
      });
    }
    const problems = fieldProblems(spec.inputs, values, 'input');
    if (problems.length > 0) throw inputsInvalid(this.describe(), spec, problems);
  }

  private noLM(): DspyError {
    return new DspyError('LM_CONFIG', `${this.describe()}: no language model is configured.`, {
      details: {
        where: this.describe(),
        fix: "Call configure({ lm: new LM('openai/gpt-4o-mini') }), or pass { lm } to the module or the call.",
      },
    });
  }

  /** The state to save: instructions, demos, field overrides and LM settings (no secrets). */
  dumpState(): PredictorState {
    const base = this.baseSignature;
    const cur = this.currentSignature;
    const fields: Record<string, { description?: string; prefix?: string }> = {};
    for (const f of cur.fields) {
      const orig = base.field(f.name);
      const patch: { description?: string; prefix?: string } = {};
      if (f.description !== orig?.description && f.description !== undefined)
        patch.description = f.description;
      if (f.prefix !== orig?.prefix && f.prefix !== undefined) patch.prefix = f.prefix;
      if (Object.keys(patch).length > 0) fields[f.name] = patch;
    }
    const lmSettings = this.lm?.settings?.();
    return {
      signature: { name: base.name, hash: base.hash },
      instructions: cur.instructions,
      demos: this.demos.map((d) => plainDemo(d)),
      ...(Object.keys(fields).length > 0 ? { fields } : {}),
      ...(lmSettings ? { lm: { ...lmSettings } } : {}),
    };
  }

  /** Restores instructions, demos and field overrides from a saved state. */
  loadState(state: PredictorState): void {
    let spec = this.baseSignature.withInstructions(state.instructions);
    for (const [name, patch] of Object.entries(state.fields ?? {})) {
      if (!spec.field(name)) continue;
      const clean: { description?: string; prefix?: string } = {};
      if (patch.description !== undefined) clean.description = patch.description;
      if (patch.prefix !== undefined) clean.prefix = patch.prefix;
      spec = spec.withUpdatedField(name, clean);
    }
    this.signature = spec;
    this.demos = state.demos.map((d) => plainDemo(d));
  }

  /** Clears demos and restores the signature given at construction. */
  reset(): void {
    this.signature = this.baseSignature;
    this.demos = [];
  }
}
Object.defineProperty(PredictBase.prototype, 'isPredictor', { value: true });
markSelfEmitting(PredictBase.prototype);

function requiredInputsOf(spec: Spec): readonly string[] {
  return spec.inputs.filter((f) => !f.optional).map((f) => f.name);
}

function plainDemo(demo: Demo): Demo {
  const json = (demo as { toJSON?: () => unknown }).toJSON;
  return typeof json === 'function' ? { ...(json.call(demo) as Demo) } : { ...demo };
}

function toPrediction<O extends Fields>(result: AdapterCallResult): Prediction<O> {
  const responses = result.responses ?? [result.response];
  let usage: Usage = ZERO_USAGE;
  let cost = 0;
  for (const r of responses) {
    usage = responses.length === 1 ? r.usage : addUsage(usage, r.usage);
    cost += r.cost ?? 0;
  }
  const outputs = result.outputs as O[];
  return new Prediction<O>(outputs[0] as O, { completions: outputs, usage, cost, lmCalls: responses.length });
}

function record(
  ctx: RunContext,
  predictor: PredictBase<object, object>,
  inputs: Fields,
  prediction: Prediction<Fields>,
): void {
  const plain: Fields = {};
  for (const f of predictor.signature.inputs) {
    // Tools are code: demos made from traces never carry them (the current call's tools apply).
    if (isToolsField(f)) continue;
    const v = inputs[f.name];
    if (v !== undefined) plain[f.name] = v;
  }
  ctx.trace?.push({ predictor, inputs: plain, outputs: prediction.toJSON() });
}

/** Constructor of {@link Predict}: infers input and output types from the signature. */
export interface PredictConstructor {
  new <T extends SignatureTarget>(target: T, opts?: PredictOptions): PredictBase<InputsOf<T>, OutputsOf<T>>;
  readonly prototype: PredictBase;
}

/**
 * The basic predictor over a signature class, a decorated method, a string signature or a
 * `SignatureSpec`. See {@link PredictBase}.
 *
 * @example
 * ```ts
 * const qa = new Predict(QA, { demos, temperature: 0 });
 * const pred = await qa.forward({ question: 'Who wrote Hamlet?' });
 * pred.answer; // string
 * ```
 */
Object.defineProperty(PredictBase, 'name', { value: 'Predict' });

export const Predict = PredictBase as unknown as PredictConstructor;
/** A {@link PredictBase} over inputs `I` and outputs `O`. */
export type Predict<I extends object = Fields, O extends object = Fields> = PredictBase<I, O>;
