import type { Adapter } from '../../adapters/types.js';
import { Prediction } from '../../data/prediction.js';
import { DspyError, isDspyError } from '../../errors.js';
import { addUsage, type LanguageModel, type Usage, ZERO_USAGE } from '../../lm/types.js';
import { type InputsOf, type OutputsOf, type SignatureTarget, specOf } from '../../signature/index.js';
import { type FieldSpec, SignatureSpec } from '../../signature/spec.js';
import { ChainOfThoughtBase, type WithReasoning } from '../chain-of-thought.js';
import type { CallConfig } from '../config.js';
import type { AsFields, Fields } from '../fields.js';
import { ModuleBase } from '../module.js';
import { answerInstructions, codeInstructions, extractCode, resultText } from './code.js';
import {
  assertEnforceable,
  limitsOf,
  runSandboxed,
  type SandboxOptions,
  type SandboxResult,
} from './sandbox.js';

type Spec = SignatureSpec<object, object>;

/** Options of {@link ProgramOfThought}. */
export interface ProgramOfThoughtOptions {
  /** Most attempts at code that runs: the first plus corrections (default 3). */
  readonly maxIters?: number;
  /** CPU-time limit of each run, in ms (default 2000); enforced by the worker thread (see `worker`). */
  readonly timeoutMs?: number;
  /** Memory limit of each run, in bytes (default 64 MiB). */
  readonly memoryLimitBytes?: number;
  /** Stack limit of each run, in bytes (default 256 KiB). */
  readonly maxStackBytes?: number;
  /**
   * `false` runs the code in the calling thread instead of a worker thread. There the CPU-time
   * limit cannot be enforced: the interpreter checks it only between instructions, so one
   * built-in call (a catastrophic regular expression, say) can block the calling thread for
   * minutes. `worker: false` with `timeoutMs` is therefore refused at construction
   * (`SANDBOX_ERROR`); without `timeoutMs`, the default 2000 ms is a best-effort check only.
   */
  readonly worker?: boolean;
  /** The LM of the three predictors (else the settings' LM). */
  readonly lm?: LanguageModel;
  /** The adapter of the three predictors. */
  readonly adapter?: Adapter;
}

/** What a ProgramOfThought run returns: the outputs, the answer's reasoning, the code that ran and its output. */
export type WithCode<O> = WithReasoning<O> & { code: string; codeOutput: string };

const str = (name: string, description: string): FieldSpec => ({
  name,
  schema: { type: 'string' },
  typeText: 'string',
  description,
});

const CODE = str('code', 'JavaScript source only: no markdown, no explanations');
const PREVIOUS = str('previousCode', 'the code of the failed attempt');
const ERROR = str('error', 'why that attempt failed');
const FINAL = str('finalCode', 'the JavaScript that ran');
const OUTPUT = str('codeOutput', 'what the code printed and its final value');
const RESERVED = ['code', 'previousCode', 'error', 'finalCode', 'codeOutput', 'inputs'];

function invalid(message: string, fix: string): DspyError {
  return new DspyError('MODULE_INVALID', `ProgramOfThought: ${message}`, {
    details: { where: 'ProgramOfThought', fix },
  });
}

function codeSpec(spec: Spec, retry: boolean): Spec {
  return new SignatureSpec({
    name: `${spec.name}.${retry ? 'regenerate' : 'generate'}`,
    instructions: codeInstructions(spec, retry),
    inputs: retry ? [...spec.inputs, PREVIOUS, ERROR] : [...spec.inputs],
    outputs: [CODE],
  });
}

function answerSpec(spec: Spec): Spec {
  return new SignatureSpec({
    name: `${spec.name}.answer`,
    instructions: answerInstructions(spec),
    inputs: [...spec.inputs, FINAL, OUTPUT],
    outputs: [...spec.outputs],
  });
}

function sharedConfig(config: CallConfig | undefined): CallConfig | undefined {
  if (!config) return undefined;
  const { demos: _d, instructions: _i, history: _h, ...rest } = config;
  return rest;
}

/**
 * Solves a task by writing and running JavaScript, after DSPy's ProgramOfThought: `generate`
 * writes code over the inputs, which runs in a QuickJS sandbox (see {@link runSandboxed});
 * a failure (syntax, runtime, timeout, out of memory) goes to `regenerate` with the failed code,
 * up to `maxIters` attempts; then `answer` writes the outputs from the code and its result.
 * Predictors: `generate.predict`, `regenerate.predict`, `answer.predict`.
 */
export class ProgramOfThoughtBase<I extends object = Fields, O extends object = Fields> extends ModuleBase<
  I,
  Prediction<AsFields<WithCode<O>>>
> {
  /** Writes the first program. */
  readonly generate: ChainOfThoughtBase<I, { code: string }>;
  /** Corrects a program that failed. */
  readonly regenerate: ChainOfThoughtBase<I & { previousCode: string; error: string }, { code: string }>;
  /** Writes the outputs from the program and its result. */
  readonly answer: ChainOfThoughtBase<I & { finalCode: string; codeOutput: string }, O>;
  readonly maxIters: number;
  /** Limits of every sandboxed run. */
  readonly sandbox: Omit<SandboxOptions, 'globals'>;
  private readonly signatureName: string;

  constructor(target: SignatureTarget, opts: ProgramOfThoughtOptions = {}) {
    super();
    const spec = specOf(target) as Spec;
    const clash = spec.fields.find((f) => RESERVED.includes(f.name));
    if (clash) throw invalid(`the field name '${clash.name}' is reserved.`, `Rename '${clash.name}'.`);
    const { maxIters = 3, timeoutMs, memoryLimitBytes, maxStackBytes, worker, lm, adapter } = opts;
    if (!Number.isInteger(maxIters) || maxIters < 1)
      throw invalid(`maxIters must be a positive integer, got ${maxIters}.`, 'Pass { maxIters: 3 }.');
    this.maxIters = maxIters;
    this.sandbox = Object.freeze({
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(memoryLimitBytes !== undefined ? { memoryLimitBytes } : {}),
      ...(maxStackBytes !== undefined ? { maxStackBytes } : {}),
      ...(worker !== undefined ? { worker } : {}),
    });
    limitsOf(this.sandbox);
    assertEnforceable(this.sandbox, 'ProgramOfThought');
    this.signatureName = spec.name;
    const shared = { lm, adapter };
    this.generate = new ChainOfThoughtBase(codeSpec(spec, false), shared);
    this.regenerate = new ChainOfThoughtBase(codeSpec(spec, true), shared);
    this.answer = new ChainOfThoughtBase(answerSpec(spec), shared);
  }

  /** `ProgramOfThought(QA)`: the name used in callbacks and errors. */
  describe(): string {
    return `ProgramOfThought(${this.signatureName})`;
  }

  /**
   * Writes code, runs it (correcting it after failures), then answers from its result.
   *
   * @example
   * ```ts
   * const pot = new ProgramOfThought('question: string -> answer: number', { timeoutMs: 1000 });
   * const pred = await pot.forward({ question: 'What is 17 * 23?' });
   * pred.answer; pred.code; pred.codeOutput;
   * ```
   */
  override async forward(inputs: I, config?: CallConfig): Promise<Prediction<AsFields<WithCode<O>>>> {
    const call = sharedConfig(config);
    const tally = { usage: ZERO_USAGE as Usage, cost: 0, lmCalls: 0 };
    const count = <P extends Prediction<Fields>>(p: P): P => {
      tally.usage = addUsage(tally.usage, p.usage);
      tally.cost += p.cost;
      tally.lmCalls += p.lmCalls;
      return p;
    };
    let code = extractCode(String(count(await this.generate.forward(inputs, call)).code ?? ''));
    let ran: SandboxResult | undefined;
    for (let attempt = 1; ; attempt++) {
      const failure = await this.tryRun(code, inputs);
      if (typeof failure !== 'string') {
        ran = failure;
        break;
      }
      if (attempt >= this.maxIters) throw this.exhausted(failure, code);
      const fixed = count(
        await this.regenerate.forward({ ...inputs, previousCode: code, error: failure }, call),
      );
      code = extractCode(String(fixed.code ?? ''));
    }
    const codeOutput = resultText(ran);
    const answer = count(await this.answer.forward({ ...inputs, finalCode: code, codeOutput }, call));
    const outputs = { ...answer.toJSON(), code, codeOutput };
    return new Prediction(outputs as AsFields<WithCode<O>>, tally);
  }

  /** Runs the code; returns its result, or the failure as the model should read it. */
  private async tryRun(code: string, inputs: I): Promise<SandboxResult | string> {
    if (!code) return 'the answer held no code';
    try {
      return await runSandboxed(code, { ...this.sandbox, globals: { inputs } });
    } catch (err) {
      // Failures of the code go back to the model; bad inputs or options are the caller's.
      if (!isDspyError(err, 'SANDBOX_ERROR') || ['globals', 'options'].includes(String(err.details.kind)))
        throw err;
      return String(err.details.summary ?? err.message);
    }
  }

  private exhausted(failure: string, code: string): DspyError {
    const where = this.describe();
    return new DspyError(
      'SANDBOX_ERROR',
      `${where}: no attempt at code ran successfully in ${this.maxIters} tries; the last one failed: ${failure}.`,
      {
        details: {
          where,
          fix: 'Raise maxIters, loosen timeoutMs / memoryLimitBytes, or add demos that show working code.',
          code,
          summary: failure,
        },
      },
    );
  }
}

/** Constructor of {@link ProgramOfThought}: infers input and output types from the signature. */
export interface ProgramOfThoughtConstructor {
  new <T extends SignatureTarget>(
    target: T,
    opts?: ProgramOfThoughtOptions,
  ): ProgramOfThoughtBase<InputsOf<T>, OutputsOf<T>>;
  readonly prototype: ProgramOfThoughtBase;
}

/**
 * Program of thought over a signature: the model writes JavaScript, a sandbox runs it.
 *
 * @example
 * ```ts
 * const pot = new ProgramOfThought('question -> answer', { maxIters: 3 });
 * const { answer, code } = await pot.forward({ question: 'Sum of the first 100 primes?' });
 * ```
 */
Object.defineProperty(ProgramOfThoughtBase, 'name', { value: 'ProgramOfThought' });

export const ProgramOfThought = ProgramOfThoughtBase as unknown as ProgramOfThoughtConstructor;
/** A {@link ProgramOfThoughtBase} over inputs `I` and outputs `O`. */
export type ProgramOfThought<I extends object = Fields, O extends object = Fields> = ProgramOfThoughtBase<
  I,
  O
>;
