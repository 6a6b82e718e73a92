import { DspyError } from '../errors.js';
import { methodLinkOf } from '../signature/metadata.js';
import { instrumentForward, ModuleBase } from './module.js';
import { MODULE_MARK } from './walk.js';

/** Options of `@Module()` (none yet; reserved). */
export type ModuleOptions = Readonly<Record<string, never>>;

/** What `@Module()` returns: a class decorator for both decorator modes (legacy and TC39). */
export type ModuleDecorator = (target: Function, context?: ClassDecoratorContext) => void;

const MIXED_IN = [
  'namedPredictors',
  'predictors',
  'namedSubModules',
  'setLM',
  'clone',
  'resetCopy',
  'save',
  'load',
] as const;

/** True when the prototype chain holds a `@Signature()` method (its predictor is the module's). */
function hasSignatureMethod(proto: object): boolean {
  for (let p: object | null = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const key of Object.getOwnPropertyNames(p)) {
      if (methodLinkOf(Object.getOwnPropertyDescriptor(p, key)?.value)) return true;
    }
  }
  return false;
}

/** Gives a plain class the `Module` methods (without overriding its own) and module callbacks. */
function makeModule(target: Function): void {
  const proto = target.prototype as object | undefined;
  if (typeof target !== 'function' || !proto) {
    throw new DspyError('DECORATOR_MISUSE', '@Module() must decorate a class.', {
      details: { where: '@Module()', fix: 'Put @Module() on a class declaration.' },
    });
  }
  if (proto instanceof ModuleBase) return;
  // A class of @Signature() methods only is a module too: its predictors are those methods'.
  if (typeof (proto as { forward?: unknown }).forward !== 'function' && !hasSignatureMethod(proto)) {
    throw new DspyError(
      'DECORATOR_MISUSE',
      `@Module() on ${target.name}: the class has no forward() method and no @Signature() method.`,
      {
        details: {
          where: `@Module() on ${target.name}`,
          fix: 'Add `async forward(inputs) { ... }` or a @Signature() method to the class.',
        },
      },
    );
  }
  Object.defineProperty(proto, MODULE_MARK, { value: true });
  for (const name of MIXED_IN) {
    if (!(name in proto)) {
      const desc = Object.getOwnPropertyDescriptor(ModuleBase.prototype, name);
      if (desc) Object.defineProperty(proto, name, desc);
    }
  }
  if (!Object.hasOwn(target, 'load')) {
    const desc = Object.getOwnPropertyDescriptor(ModuleBase, 'load');
    if (desc) Object.defineProperty(target, 'load', desc);
  }
  instrumentForward(proto);
}

/** Implements `@Module()`: usable in both decorator modes. @internal */
export function moduleDecorator(options?: ModuleOptions): ModuleDecorator {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new DspyError('DECORATOR_MISUSE', '@Module(options): options must be an object.', {
      details: { where: '@Module()', fix: 'Write @Module() with parentheses and no arguments.' },
    });
  }
  return (target: Function, _context?: ClassDecoratorContext) => {
    makeModule(target);
  };
}

/**
 * The `Module` value: a base class to extend, and (called as a function) the `@Module()` class
 * decorator for plain classes, which gives them `namedPredictors`, `setLM`, `clone`, `save`,
 * `load` and module callbacks. For their types, declare `interface MyClass extends Module {}`.
 */
export interface ModuleConstructor {
  new <I = Record<string, unknown>, O = unknown>(): ModuleBase<I, O>;
  readonly prototype: ModuleBase;
  /** `@Module()` class decorator. */
  (options?: ModuleOptions): ModuleDecorator;
  /** Constructs the program (with no arguments) and loads an artifact into it. */
  load: typeof ModuleBase.load;
}

/**
 * Base class of programs, and `@Module()` decorator for plain classes.
 *
 * @example
 * ```ts
 * class QA extends Module { predict = new Predict('question -> answer');
 *   override async forward(x: { question: string }) { return this.predict.forward(x); } }
 *
 * @Module() class Service { predict = new Predict('question -> answer');
 *   async forward(x: { question: string }) { return this.predict.forward(x); } }
 * ```
 */
export const Module: ModuleConstructor = new Proxy(ModuleBase, {
  apply(_target, _self, args: unknown[]) {
    return moduleDecorator(args[0] as ModuleOptions | undefined);
  },
}) as unknown as ModuleConstructor;

/** An instance of a program (see {@link ModuleBase}). */
export type Module<I = Record<string, unknown>, O = unknown> = ModuleBase<I, O>;
