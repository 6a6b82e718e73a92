import { DspyError } from '../errors.js';
import {
  copyOptions,
  type DecoratorSite,
  decoratorSite,
  looksLikeDecoratorArgs,
  optionsProblem,
} from './decorator-args.js';
import { memberProblem, report } from './decorator-report.js';
import {
  declaringClass,
  linkMethod,
  listOf,
  META,
  METADATA_SYMBOL,
  type MethodLink,
  registerMetadata,
  type SignatureOptions,
  throwPendingMisuse,
} from './metadata.js';
import { getMethodRunner } from './method-runner.js';
import { methodSpecs } from './method-support.js';

/** `@Signature()`: a class or method decorator usable in both decorator modes. */
export interface SignatureDecorator {
  <C extends Function>(value: C, context: ClassDecoratorContext): void;
  <F extends (this: never, ...args: never) => Promise<unknown>>(
    value: F,
    context: ClassMethodDecoratorContext,
  ): F;
  <C extends Function>(target: C): void;
  <F extends (this: never, ...args: never) => Promise<unknown>>(
    target: object,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<F>,
  ): TypedPropertyDescriptor<F>;
}

function decorateClass(ctor: Function, options: SignatureOptions, metadata: object | undefined): void {
  if (metadata && !Object.hasOwn(ctor, METADATA_SYMBOL)) {
    // TC39: the class decorator runs before the runtime attaches Symbol.metadata; attach it now.
    Object.defineProperty(ctor, METADATA_SYMBOL, { value: metadata, writable: true, configurable: true });
  }
  throwPendingMisuse(ctor, metadata);
  const where = `@Signature() on ${ctor.name || '(anonymous class)'}`;
  if (options.name !== undefined && !/^[A-Za-z_$][\w$.]*$/.test(options.name)) {
    throw new DspyError('DECORATOR_MISUSE', `${where}: name '${options.name}' is not an identifier.`, {
      details: { where, fix: 'Use a name such as QA or Triage.' },
    });
  }
  const fields = listOf(ctor, META.fields);
  if (!fields.some((f) => f.role === 'output')) {
    throw new DspyError('DECORATOR_MISUSE', `${where}: the class has no @OutputField() property.`, {
      details: { where, fix: 'Mark at least one property with @OutputField().' },
    });
  }
  registerMetadata(ctor, { kind: 'signature', options });
}

function makeWrapper(
  key: string,
  original: Function,
  options: SignatureOptions,
): { wrapper: Function; link: MethodLink } {
  const holder: { link?: MethodLink } = {};
  const wrapper = async function (this: object, ...args: unknown[]): Promise<unknown> {
    const link = holder.link as MethodLink;
    if (!link.owner && this && typeof this === 'object') {
      link.owner = declaringClass((this as { constructor: Function }).constructor, link.meta);
    }
    const owner = link.owner?.name ?? '(class)';
    const runner = getMethodRunner();
    if (!runner) {
      const where = `${owner}.${key}`;
      throw new DspyError(
        'MODULE_INVALID',
        `${where}() is a @Signature() method, but no method runner is installed.`,
        {
          details: {
            where,
            fix: 'Import @dspy-ts/core (its modules install the runner) before calling the method.',
          },
        },
      );
    }
    if (!methodSpecs.value) await methodSpecs.load();
    return runner(this, key, methodSpecs.now(`${owner}.${key}()`).methodSpecOf(wrapper), args);
  };
  Object.defineProperty(wrapper, 'name', { value: key });
  const link: MethodLink = {
    meta: Object.freeze({ key, options, original, wrapper }),
    owner: undefined,
  };
  holder.link = link;
  return { wrapper, link };
}

function decorateMethod(site: DecoratorSite, opts: unknown): Function | PropertyDescriptor | undefined {
  if (site.mode === 'unknown' || site.kind === 'class') return undefined;
  const problem = memberProblem(site, 'a signature');
  if (problem) return void report('@Signature()', site, ...problem);
  const key = String(site.name);
  const original = site.mode === 'tc39' ? site.value : site.descriptor?.value;
  if (typeof original !== 'function')
    return void report('@Signature()', site, 'expected a method.', 'Decorate a class or a method.');
  const bad = optionsProblem(opts, ['instructions', 'name']);
  if (bad) return void report('@Signature()', site, ...bad);
  const { wrapper, link } = makeWrapper(key, original, copyOptions<SignatureOptions>(opts));
  // The web entry imports the method specs now, so that they are there when the app asks for
  // one; a failure surfaces, with its fix, when a spec is needed.
  methodSpecs.load().catch(() => undefined);
  const meta = link.meta;
  linkMethod(wrapper, link);
  if (site.mode === 'tc39') {
    if (!site.metadata)
      return void report('@Signature()', site, 'Symbol.metadata is missing.', 'Import @dspy-ts/core first.');
    registerMetadata(site.metadata, { kind: 'method', ...meta });
    site.addInitializer(function (this: unknown) {
      if (!link.owner && this && typeof this === 'object') {
        link.owner = declaringClass((this as { constructor: Function }).constructor, meta);
      }
    });
    return wrapper;
  }
  registerMetadata(site.target, { kind: 'method', ...meta });
  link.owner = (site.target as { constructor: Function }).constructor;
  return { ...site.descriptor, value: wrapper };
}

/**
 * Makes a class (with `@InputField` / `@OutputField` properties) or an async method (parameters
 * in, the awaited return type's properties out) a signature. Works with TC39 and legacy decorators.
 *
 * @example
 * ```ts
 * // Answer questions with short factoid answers.
 * @Signature()
 * class QA {
 *   @InputField() question!: string;
 *   @OutputField({ desc: 'often between 1 and 5 words' }) answer!: string;
 * }
 * ```
 */
export function Signature(opts?: SignatureOptions): SignatureDecorator;
export function Signature(opts?: unknown, ...rest: unknown[]): SignatureDecorator {
  if (looksLikeDecoratorArgs(opts, rest)) {
    const site = decoratorSite([opts, ...rest]);
    report(
      '@Signature',
      site,
      'is a decorator factory and must be called.',
      'Write @Signature() (with parentheses).',
    );
    // Used as the decorator itself (TC39, error kept for later): return nothing, replace nothing.
    return undefined as unknown as SignatureDecorator;
  }
  return ((...args: unknown[]) => {
    const site = decoratorSite(args);
    if (site.mode !== 'unknown' && site.kind === 'class') {
      const bad = optionsProblem(opts, ['instructions', 'name']);
      if (bad) report('@Signature()', site, ...bad);
      decorateClass(
        site.ctor,
        copyOptions<SignatureOptions>(opts),
        site.mode === 'tc39' ? site.metadata : undefined,
      );
      return undefined;
    }
    if (site.mode !== 'unknown' && site.kind === 'method') return decorateMethod(site, opts);
    const kind = site.mode === 'unknown' ? 'this target' : `a ${site.kind}`;
    report(
      '@Signature()',
      site,
      `decorates a class or a method, not ${kind}.`,
      'Put @Signature() on the class, or on an async method.',
    );
    return undefined;
  }) as SignatureDecorator;
}
