import { DspyError } from '../errors.js';
import {
  copyOptions,
  type DecoratorSite,
  decoratorSite,
  legacyClassName,
  looksLikeDecoratorArgs,
  optionsProblem,
} from './decorator-args.js';
import {
  addPendingMisuse,
  declaringClass,
  type FieldOptions,
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
import { methodSpecOf } from './method-spec.js';

/** A property decorator usable in both decorator modes. */
export interface FieldDecorator {
  (value: undefined, context: ClassFieldDecoratorContext): void;
  (target: object, propertyKey: string | symbol, descriptor?: undefined): void;
}

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

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set(['__proto__', 'constructor', 'prototype', 'completed']);

/** Names the place a decorator was applied (`QA.question`, `field 'question'`). */
function siteName(site: DecoratorSite): string {
  switch (site.mode) {
    case 'unknown':
      return 'an unsupported target';
    case 'tc39':
      return site.kind === 'class' ? site.ctor.name || '(anonymous class)' : `.${String(site.name)}`;
    case 'legacy':
      return site.kind === 'class'
        ? site.ctor.name || '(anonymous class)'
        : `${legacyClassName(site.target)}.${String(site.name)}`;
  }
}

/**
 * Reports a misuse. TC39 member decorators cannot see their class, so the error is kept on
 * the class's metadata and thrown, with the class name, by `@Signature()` on the class, on
 * the first instance, or by `specOf`.
 */
function report(decorator: string, site: DecoratorSite, problem: string, fix: string): never | undefined {
  if (site.mode === 'tc39' && site.kind !== 'class' && site.metadata) {
    const pending = { decorator, member: String(site.name), problem, fix };
    addPendingMisuse(site.metadata, pending);
    site.addInitializer(function (this: unknown) {
      const ctor = typeof this === 'function' ? this : (this as { constructor: Function }).constructor;
      throwPendingMisuse(ctor);
    });
    return undefined;
  }
  const where = `${decorator} on ${siteName(site)}`;
  throw new DspyError('DECORATOR_MISUSE', `${where}: ${problem}`, { details: { where, fix } });
}

function memberProblem(site: DecoratorSite & { kind: string }, what: string): [string, string] | undefined {
  if (!('name' in site)) return undefined;
  if (typeof site.name === 'symbol')
    return [`a symbol-keyed member cannot be ${what}.`, 'Use a named member.'];
  if ('isPrivate' in site && site.isPrivate) {
    return [`a private (#) member cannot be ${what}.`, 'Use a public member.'];
  }
  if (site.isStatic) return [`a static member cannot be ${what}.`, 'Declare it as an instance member.'];
  return undefined;
}

function fieldDecorator(
  decorator: string,
  role: 'input' | 'output',
  opts: unknown,
  rest: unknown[],
): FieldDecorator {
  if (looksLikeDecoratorArgs(opts, rest)) {
    const site = decoratorSite([opts, ...rest]);
    const bare = decorator.replace('()', '');
    report(
      bare,
      site,
      'is a decorator factory and must be called.',
      `Write ${decorator} (with parentheses).`,
    );
  }
  return ((...args: unknown[]) => {
    const site = decoratorSite(args);
    if (site.mode === 'unknown' || site.kind !== 'field') {
      const kind = site.mode === 'unknown' ? 'this target' : `a ${site.kind}`;
      report(
        decorator,
        site,
        `decorates properties, not ${kind}.`,
        'Put it on an instance property of a @Signature() class.',
      );
      return;
    }
    const problem = memberProblem(site, 'a signature field');
    if (problem) return void report(decorator, site, ...problem);
    const key = String(site.name);
    if (!FIELD_NAME.test(key) || RESERVED.has(key)) {
      return void report(
        decorator,
        site,
        `'${key}' cannot be a field name.`,
        'Rename the property (letters, digits, _; not completed).',
      );
    }
    const holder = site.mode === 'tc39' ? site.metadata : site.target;
    if (!holder) {
      return void report(
        decorator,
        site,
        'Symbol.metadata is missing.',
        'Import @dspy-ts/core before declaring signature classes.',
      );
    }
    const bad = optionsProblem(opts, ['desc', 'prefix']);
    if (bad) return void report(decorator, site, ...bad);
    const options = copyOptions<FieldOptions>(opts);
    const own =
      (Reflect.getOwnMetadata(META.fields.id, holder) as { key: string; role: string }[] | undefined) ?? [];
    const dup = own.find((f) => f.key === key);
    if (dup) {
      return void report(
        decorator,
        site,
        `the property is already an ${dup.role} field.`,
        'Use one field decorator per property.',
      );
    }
    registerMetadata(holder, { kind: 'field', key, role, ...options });
  }) as FieldDecorator;
}

/**
 * Marks a property of a `@Signature()` class as an input field.
 *
 * @example
 * ```ts
 * @InputField({ desc: 'the question to answer' }) question!: string;
 * ```
 */
export function InputField(opts?: FieldOptions): FieldDecorator;
export function InputField(opts?: unknown, ...rest: unknown[]): FieldDecorator {
  return fieldDecorator('@InputField()', 'input', opts, rest);
}

/**
 * Marks a property of a `@Signature()` class as an output field.
 *
 * @example
 * ```ts
 * @OutputField({ desc: 'often between 1 and 5 words' }) answer!: string;
 * ```
 */
export function OutputField(opts?: FieldOptions): FieldDecorator;
export function OutputField(opts?: unknown, ...rest: unknown[]): FieldDecorator {
  return fieldDecorator('@OutputField()', 'output', opts, rest);
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
    return runner(this, key, methodSpecOf(wrapper), args);
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
