import { applyArtifact } from '../artifact/apply.js';
import { loadArtifact, saveProgram } from '../artifact/io.js';
import { emit, newCallId } from '../callbacks.js';
import { DspyError } from '../errors.js';
import type { LanguageModel } from '../lm/types.js';
import { createAsyncContext } from '../runtime/async-context.js';
import { currentSettings } from '../settings.js';
import { tracedModule } from '../telemetry/index.js';
import { deepCloneModule } from './clone.js';
import type { Predictor } from './types.js';
import { isModule, MODULE_MARK, walkModule } from './walk.js';

/** Options of {@link ModuleBase.save}, passed to the artifact writer (`provenance`, `mediaInlineLimit`, ...). */
export type ModuleSaveOptions = Readonly<Record<string, unknown>>;
/** Options of {@link ModuleBase.load}, passed to the artifact loader (`allowSignatureDrift`, `media`, ...). */
export type ModuleLoadOptions = Readonly<Record<string, unknown>>;

const INSTRUMENTED: unique symbol = Symbol('dspy-ts.instrumented');

type AnyForward = (this: object, ...args: unknown[]) => unknown;

/** A display name for a module in callbacks and errors. @internal */
export function moduleName(module: object): string {
  const named = module as { describe?: () => string };
  return typeof named.describe === 'function' ? named.describe() : module.constructor.name || 'Module';
}

function asRecord(value: unknown): Readonly<Record<string, unknown>> {
  if (typeof value === 'object' && value !== null) {
    const json = (value as { toJSON?: () => unknown }).toJSON;
    const plain = typeof json === 'function' ? json.call(value) : value;
    if (typeof plain === 'object' && plain !== null) return plain as Record<string, unknown>;
  }
  return { value };
}

/** The module whose instrumented `forward` is running (so `super.forward()` does not emit twice). */
const emitting = createAsyncContext<object>();

function wrapForward(original: AnyForward): AnyForward {
  return function forward(this: object, ...args: unknown[]): Promise<unknown> {
    return tracedModule(
      this,
      () => moduleName(this),
      () => withModuleEvents(this, original, args),
    );
  };
}

/** Runs `original` on `self`, between `moduleStart` and `moduleEnd` events when callbacks listen. */
async function withModuleEvents(self: object, original: AnyForward, args: unknown[]): Promise<unknown> {
  const callbacks = currentSettings().callbacks;
  if (!callbacks || callbacks.length === 0 || emitting.getStore() === self) return original.apply(self, args);
  const callId = newCallId();
  const module = moduleName(self);
  emit('moduleStart', { callId, module, inputs: asRecord(args[0]) });
  try {
    const outputs = await emitting.run(self, () => original.apply(self, args));
    emit('moduleEnd', { callId, module, outputs });
    return outputs;
  } catch (error) {
    emit('moduleEnd', { callId, module, error });
    throw error;
  }
}

const SELF_EMITS: unique symbol = Symbol('dspy-ts.selfEmits');
const wrapped = new WeakSet<Function>();

/**
 * Makes the `forward` that instances of `proto` run (the nearest one in the prototype chain)
 * emit `moduleStart`/`moduleEnd` and run in a `dspy.module` span. Done once per class, by replacing the method on its prototype.
 * @internal
 */
export function instrumentForward(proto: object): void {
  Object.defineProperty(proto, INSTRUMENTED, { value: true });
  for (let p: object | null = proto; p && p !== ModuleBase.prototype; p = Object.getPrototypeOf(p)) {
    const desc = Object.getOwnPropertyDescriptor(p, 'forward');
    if (!desc) continue;
    if (typeof desc.value === 'function' && !wrapped.has(desc.value) && !Object.hasOwn(p, SELF_EMITS)) {
      const value = wrapForward(desc.value as AnyForward);
      wrapped.add(value);
      Object.defineProperty(p, 'forward', { ...desc, value });
    }
    return;
  }
}

/** Marks a prototype whose `forward` emits its own module callbacks (as `Predict` does). @internal */
export function markSelfEmitting(proto: object): void {
  Object.defineProperty(proto, SELF_EMITS, { value: true });
}

/**
 * Base of every program: hold predictors and sub-modules as properties and implement
 * `async forward(inputs)`. Optimizers find the predictors by property path.
 *
 * @example
 * ```ts
 * class RAG extends Module<{ question: string }, Prediction<{ answer: string }>> {
 *   generate = new ChainOfThought('context: string[], question: string -> answer: string');
 *   override async forward({ question }: { question: string }) {
 *     return this.generate.forward({ context: await search(question), question });
 *   }
 * }
 * ```
 */
export class ModuleBase<I = Record<string, unknown>, O = unknown> {
  declare readonly [MODULE_MARK]: true;

  constructor() {
    const proto = Object.getPrototypeOf(this) as object;
    if (!Object.hasOwn(proto, INSTRUMENTED)) instrumentForward(proto);
  }

  /** Runs the program. Subclasses override it; calling it emits module callbacks. */
  forward(_inputs: I): Promise<O> {
    return Promise.reject(
      new DspyError('MODULE_INVALID', `${moduleName(this)} does not implement forward().`, {
        details: { where: moduleName(this), fix: 'Add `async forward(inputs) { ... }` to the class.' },
      }),
    );
  }

  /** Every predictor by property path (`generate.predict`, `items.0`, a method name, or `self`). */
  namedPredictors(): [string, Predictor][] {
    return walkModule(this).predictors;
  }

  /** Every predictor, in {@link ModuleBase.namedPredictors} order. */
  predictors(): Predictor[] {
    return this.namedPredictors().map(([, p]) => p);
  }

  /** Every nested module (predictors included) by property path; not the module itself. */
  namedSubModules(): [string, object][] {
    return walkModule(this).modules;
  }

  /** Sets the LM of every predictor. Returns `this`. */
  setLM(lm: LanguageModel): this {
    for (const p of this.predictors()) p.lm = lm;
    return this;
  }

  /** A deep copy with independent predictor state (demos, instructions); LMs are shared. */
  clone(): this {
    return deepCloneModule(this);
  }

  /** A deep copy whose predictors are reset (no demos, original instructions). */
  resetCopy(): this {
    const copy = this.clone();
    for (const p of walkModule(copy).predictors) p[1].reset();
    return copy;
  }

  /**
   * Writes this program's frozen artifact to `path` (atomically); media in demos above
   * `mediaInlineLimit` bytes (64 kB) go to `<path without .json>.media/` beside it.
   */
  async save(path: string, opts?: ModuleSaveOptions): Promise<void> {
    // The artifact modules themselves, not artifact/'s index (which also lists DSPy state import);
    // the package index exports them anyway, and what only saving needs loads inside saveProgram.
    await saveProgram(this, path, opts);
  }

  /**
   * Loads an artifact (a path or a parsed artifact) into this program; verifies paths, hashes
   * and media (`{ media: (file) => bytes }` reads the media files of an artifact given as an object).
   */
  async load(pathOrArtifact: unknown, opts?: ModuleLoadOptions): Promise<this> {
    applyArtifact(this, await loadArtifact(pathOrArtifact, opts), opts);
    return this;
  }

  /**
   * Constructs the program (with no arguments) and loads an artifact into it.
   *
   * @example
   * ```ts
   * const rag = await RAG.load('rag.artifact.json');
   * ```
   */
  static async load<T extends object>(
    this: new () => T,
    pathOrArtifact: unknown,
    opts?: ModuleLoadOptions,
  ): Promise<T> {
    const program = new this() as T & { load(p: unknown, o?: ModuleLoadOptions): Promise<unknown> };
    await program.load(pathOrArtifact, opts);
    return program;
  }
}
Object.defineProperty(ModuleBase.prototype, MODULE_MARK, { value: true });
Object.defineProperty(ModuleBase, 'name', { value: 'Module' });

export { isModule };
