import 'reflect-metadata/lite';
import { DspyError } from '../errors.js';

/**
 * Decorator metadata: what `@Signature`, `@InputField`, `@OutputField` (and `@Tool`) record.
 * Everything is stored with reflect-metadata under typed keys on the class, its prototype or
 * the TC39 `context.metadata` object of the class, through {@link registerMetadata} only.
 */

// TC39 decorators hand `context.metadata` to decorators only when `Symbol.metadata` exists.
// Node 20 lacks it; use the registered symbol esbuild falls back to, so both compilers agree.
if (typeof (Symbol as { metadata?: symbol }).metadata !== 'symbol') {
  Object.defineProperty(Symbol, 'metadata', { value: Symbol.for('Symbol.metadata'), configurable: true });
}

/** The `Symbol.metadata` key (native or polyfilled). */
export const METADATA_SYMBOL: symbol = (Symbol as unknown as { metadata: symbol }).metadata;

/** Options of `@Signature(opts?)`. */
export interface SignatureOptions {
  /** The task, rendered in the system prompt. Wins over the class's JSDoc. */
  readonly instructions?: string;
  /** The signature's name (default: the class name, or `Class.method`). */
  readonly name?: string;
}

/** Options of `@InputField(opts?)` and `@OutputField(opts?)`. */
export interface FieldOptions {
  /** What the field means; rendered after its type in the prompt. */
  readonly desc?: string;
  /** A label DSPy users set (`Answer:`); kept for custom adapters and imports. */
  readonly prefix?: string;
}

/** One decorated property, as recorded. */
export interface FieldMeta {
  readonly key: string;
  readonly role: 'input' | 'output';
  readonly desc?: string;
  readonly prefix?: string;
}

/** One `@Signature` method, as recorded. */
export interface MethodMeta {
  readonly key: string;
  readonly options: SignatureOptions;
  /** The undecorated function (parameter names are read from its source when there is no manifest). */
  readonly original: Function;
  /** The function that replaced it on the prototype (calls the method runner). */
  readonly wrapper: Function;
}

/** One `@Tool` method, as recorded (the decorator lives in the modules area). */
export interface ToolMeta {
  /** The method's property name. */
  readonly key: string;
  /** The name the model sees (default: the method name). */
  readonly toolName?: string;
  /** What the tool does (default: the JSDoc from the manifest). */
  readonly desc?: string;
}

/** Everything {@link registerMetadata} accepts, discriminated by `kind`. */
export type MetadataRecord =
  | { readonly kind: 'signature'; readonly options: SignatureOptions }
  | ({ readonly kind: 'field' } & FieldMeta)
  | ({ readonly kind: 'method' } & MethodMeta)
  | ({ readonly kind: 'tool' } & ToolMeta)
  | ({ readonly kind: 'misuse' } & PendingMisuse);

/** A reflect-metadata key that carries the type of its value. */
export interface MetadataKey<T> {
  readonly id: symbol;
  readonly __type?: T;
}

function key<T>(name: string): MetadataKey<T> {
  return { id: Symbol.for(`dspy-ts.${name}`) };
}

/** Typed metadata keys. `Symbol.for` so two copies of the package read each other's records. */
export const META = {
  signature: key<SignatureOptions>('signature'),
  fields: key<readonly FieldMeta[]>('fields'),
  methods: key<readonly MethodMeta[]>('methods'),
  tools: key<readonly ToolMeta[]>('tools'),
  misuses: key<readonly PendingMisuse[]>('misuses'),
} as const;

/** Reads a key defined on `holder` itself (not inherited). */
export function ownMeta<T>(holder: object, k: MetadataKey<T>): T | undefined {
  return Reflect.getOwnMetadata(k.id, holder) as T | undefined;
}

function defineMeta<T>(holder: object, k: MetadataKey<T>, value: T): void {
  Reflect.defineMetadata(k.id, value, holder);
}

function appendUnique<T extends { key: string }>(list: readonly T[] | undefined, item: T): readonly T[] {
  return Object.freeze([...(list ?? []).filter((x) => x.key !== item.key), item]);
}

/**
 * The one register function behind every decorator: records `record` on `holder` (a class,
 * a prototype, or a TC39 `context.metadata` object). Lists keep declaration order.
 */
export function registerMetadata(holder: object, record: MetadataRecord): void {
  switch (record.kind) {
    case 'signature':
      defineMeta(holder, META.signature, Object.freeze({ ...record.options }));
      return;
    case 'field': {
      const { kind: _kind, ...field } = record;
      defineMeta(holder, META.fields, appendUnique(ownMeta(holder, META.fields), Object.freeze(field)));
      return;
    }
    case 'method': {
      const { kind: _kind, ...method } = record;
      defineMeta(holder, META.methods, appendUnique(ownMeta(holder, META.methods), Object.freeze(method)));
      return;
    }
    case 'tool': {
      const { kind: _kind, ...tool } = record;
      defineMeta(holder, META.tools, appendUnique(ownMeta(holder, META.tools), Object.freeze(tool)));
      return;
    }
    case 'misuse': {
      const { kind: _kind, ...misuse } = record;
      defineMeta(holder, META.misuses, Object.freeze([...(ownMeta(holder, META.misuses) ?? []), misuse]));
      return;
    }
  }
}

/** The TC39 metadata object of a class, when it was decorated in that mode. */
export function tc39MetadataOf(ctor: Function): object | undefined {
  if (!Object.hasOwn(ctor, METADATA_SYMBOL)) return undefined;
  const m = (ctor as unknown as Record<symbol, unknown>)[METADATA_SYMBOL];
  return typeof m === 'object' && m !== null ? m : undefined;
}

/** The classes from the root base down to `ctor` (for inherited fields). */
export function classChain(ctor: Function): Function[] {
  const chain: Function[] = [];
  for (let c: unknown = ctor; typeof c === 'function' && c !== Function.prototype; ) {
    chain.unshift(c);
    c = Object.getPrototypeOf(c);
  }
  return chain;
}

/** The own list under `k` of one class, from its TC39 metadata and its prototype (legacy). */
function ownListOf<T extends { key: string }>(c: Function, k: MetadataKey<readonly T[]>): readonly T[] {
  const out: T[] = [];
  const tc39 = tc39MetadataOf(c);
  for (const holder of [tc39, c.prototype as object | undefined]) {
    if (holder) for (const item of ownMeta(holder, k) ?? []) out.push(item);
  }
  return out;
}

/** A list under `k` over the class chain, base classes first; a subclass entry replaces its base's. */
export function listOf<T extends { key: string }>(ctor: Function, k: MetadataKey<readonly T[]>): T[] {
  let out: T[] = [];
  for (const c of classChain(ctor)) {
    for (const item of ownListOf(c, k)) out = [...out.filter((x) => x.key !== item.key), item];
  }
  return out;
}

/** The `@Signature` options of a class (own only: a subclass needs its own `@Signature`). */
export function signatureOptionsOf(ctor: Function): SignatureOptions | undefined {
  return ownMeta(ctor, META.signature);
}

/** The `@Tool` methods recorded on a class (and its bases), in declaration order. */
export function toolMethodsOf(ctor: Function): readonly ToolMeta[] {
  throwPendingMisuse(ctor);
  return listOf(ctor, META.tools);
}

/** A decorated method's link to its record and (once known) the class that declares it. */
export interface MethodLink {
  readonly meta: MethodMeta;
  /** The declaring class; known at once in legacy mode, on first use in TC39 mode. */
  owner: Function | undefined;
}

// A registered symbol on the wrapper itself, so another copy of the package finds the link.
const LINK = Symbol.for('dspy-ts.methodLink');

/** Links a method wrapper to its record (called once by `@Signature` on a method). */
export function linkMethod(wrapper: Function, link: MethodLink): void {
  Object.defineProperty(wrapper, LINK, { value: link });
}

/** The link of a `@Signature` method wrapper, or undefined for any other function. */
export function methodLinkOf(fn: unknown): MethodLink | undefined {
  if (typeof fn !== 'function' || !Object.hasOwn(fn, LINK)) return undefined;
  return (fn as unknown as Record<symbol, MethodLink>)[LINK];
}

/** The class in `ctor`'s chain whose own records include `meta` (the declaring class). */
export function declaringClass(ctor: Function, meta: MethodMeta): Function | undefined {
  return classChain(ctor)
    .reverse()
    .find((c) => ownListOf(c, META.methods).some((m) => m.wrapper === meta.wrapper));
}

/** Misuses found by TC39 member decorators, thrown once the class is known. */
export interface PendingMisuse {
  readonly decorator: string;
  readonly member: string;
  readonly problem: string;
  readonly fix: string;
}

/** Remembers a misuse on a TC39 metadata object (the class name is not known yet). */
export function addPendingMisuse(metadata: object, misuse: PendingMisuse): void {
  registerMetadata(metadata, { kind: 'misuse', ...misuse });
}

/** The misuses remembered for a class (own TC39 metadata only). */
export function pendingMisusesOf(ctor: Function, metadata = tc39MetadataOf(ctor)): readonly PendingMisuse[] {
  return metadata ? (ownMeta(metadata, META.misuses) ?? []) : [];
}

/** Throws the first misuse TC39 member decorators left on `ctor` or one of its bases. */
export function throwPendingMisuse(ctor: Function, metadata?: object): void {
  const chain = classChain(ctor);
  for (const c of chain) {
    const own = c === ctor && metadata ? metadata : tc39MetadataOf(c);
    const first = pendingMisusesOf(c, own)[0];
    if (!first) continue;
    const where = `${first.decorator} on ${c.name || '(anonymous class)'}.${first.member}`;
    throw new DspyError('DECORATOR_MISUSE', `${where}: ${first.problem}`, {
      details: { where, fix: first.fix },
    });
  }
}
