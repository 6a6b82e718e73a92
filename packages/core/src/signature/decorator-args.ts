import { DspyError } from '../errors.js';

/**
 * Reading decorator arguments in both modes: TC39 standard decorators get
 * `(value, context)`; legacy `experimentalDecorators` get `(target)`, `(target, key)` or
 * `(target, key, descriptor)`.
 */

/** The member or class a decorator was applied to, in either mode. */
export type DecoratorSite =
  | { readonly mode: 'tc39'; readonly kind: 'class'; readonly ctor: Function; readonly metadata: object }
  | {
      readonly mode: 'tc39';
      readonly kind: 'field' | 'method' | 'getter' | 'setter' | 'accessor';
      readonly name: string | symbol;
      readonly isStatic: boolean;
      readonly isPrivate: boolean;
      readonly value: unknown;
      readonly metadata: object | undefined;
      readonly addInitializer: (fn: (this: unknown) => void) => void;
    }
  | { readonly mode: 'legacy'; readonly kind: 'class'; readonly ctor: Function }
  | {
      readonly mode: 'legacy';
      readonly kind: 'field' | 'method' | 'getter' | 'setter' | 'parameter';
      readonly name: string | symbol;
      readonly isStatic: boolean;
      readonly target: object;
      readonly descriptor: PropertyDescriptor | undefined;
    }
  | { readonly mode: 'unknown' };

interface Tc39Context {
  readonly kind: string;
  readonly name: string | symbol | undefined;
  readonly static?: boolean;
  readonly private?: boolean;
  readonly metadata?: object;
  readonly addInitializer?: (fn: (this: unknown) => void) => void;
}

function isTc39Context(x: unknown): x is Tc39Context {
  return typeof x === 'object' && x !== null && typeof (x as { kind?: unknown }).kind === 'string';
}

function tc39Site(value: unknown, ctx: Tc39Context): DecoratorSite {
  if (ctx.kind === 'class') {
    return { mode: 'tc39', kind: 'class', ctor: value as Function, metadata: ctx.metadata ?? {} };
  }
  const kinds = ['field', 'method', 'getter', 'setter', 'accessor'] as const;
  const kind = kinds.find((k) => k === ctx.kind);
  if (!kind) return { mode: 'unknown' };
  return {
    mode: 'tc39',
    kind,
    name: ctx.name ?? '',
    isStatic: !!ctx.static,
    isPrivate: !!ctx.private,
    value,
    metadata: ctx.metadata,
    addInitializer: ctx.addInitializer ?? (() => {}),
  };
}

function legacyMemberKind(
  descriptor: PropertyDescriptor | undefined,
): 'field' | 'method' | 'getter' | 'setter' {
  if (!descriptor) return 'field';
  if (typeof descriptor.value === 'function') return 'method';
  if (descriptor.get) return 'getter';
  if (descriptor.set) return 'setter';
  return 'field';
}

/** Works out which mode and which kind of site a decorator was called for. */
export function decoratorSite(args: readonly unknown[]): DecoratorSite {
  const [a, b, c] = args;
  if (isTc39Context(b)) return tc39Site(a, b);
  if (args.length === 1 && typeof a === 'function') return { mode: 'legacy', kind: 'class', ctor: a };
  if ((typeof a === 'object' || typeof a === 'function') && a !== null) {
    if (typeof c === 'number') {
      return {
        mode: 'legacy',
        kind: 'parameter',
        name: typeof b === 'string' || typeof b === 'symbol' ? b : 'constructor',
        isStatic: typeof a === 'function',
        target: a,
        descriptor: undefined,
      };
    }
    if (typeof b === 'string' || typeof b === 'symbol') {
      const descriptor = typeof c === 'object' && c !== null ? (c as PropertyDescriptor) : undefined;
      return {
        mode: 'legacy',
        kind: legacyMemberKind(descriptor),
        name: b,
        isStatic: typeof a === 'function',
        target: a,
        descriptor,
      };
    }
  }
  return { mode: 'unknown' };
}

/** The class name a legacy member decorator can see (`target` is the prototype or, if static, the class). */
export function legacyClassName(target: object): string {
  const ctor = typeof target === 'function' ? target : (target as { constructor?: Function }).constructor;
  return ctor?.name || '(anonymous class)';
}

/** Throws the misuse error of a decorator, naming the decorator and the site. */
export function misuse(where: string, problem: string, fix: string): never {
  throw new DspyError('DECORATOR_MISUSE', `${where}: ${problem}`, { details: { where, fix } });
}

/** True when a decorator factory was itself used as a decorator (`@InputField` without `()`). */
export function looksLikeDecoratorArgs(opts: unknown, rest: readonly unknown[]): boolean {
  return typeof opts === 'function' || rest.length > 0 || isTc39Context(rest[0]);
}

/**
 * Checks a decorator's options: a plain object whose keys are known and whose values are
 * strings. Returns `[problem, fix]`, or undefined when they are fine.
 */
export function optionsProblem(opts: unknown, allowed: readonly string[]): [string, string] | undefined {
  if (opts === undefined) return undefined;
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    return [
      `expected an options object, got ${describe(opts)}.`,
      `Pass { ${allowed.join(', ')} } or nothing.`,
    ];
  }
  for (const [k, v] of Object.entries(opts)) {
    if (!allowed.includes(k)) {
      const hint = k === 'description' && allowed.includes('desc') ? " (did you mean 'desc'?)" : '';
      return [`unknown option '${k}'${hint}.`, `Use only: ${allowed.join(', ')}.`];
    }
    if (v !== undefined && typeof v !== 'string') {
      return [`option '${k}' must be a string, got ${describe(v)}.`, `Pass ${k} as a string.`];
    }
  }
  return undefined;
}

/** A frozen copy of checked options, without undefined values. */
export function copyOptions<T extends object>(opts: unknown): T {
  const out: Record<string, string> = {};
  if (opts && typeof opts === 'object') {
    for (const [k, v] of Object.entries(opts)) if (typeof v === 'string') out[k] = v;
  }
  return Object.freeze(out) as T;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'function') return `a function${v.name ? ` (${v.name})` : ''}`;
  return typeof v;
}
