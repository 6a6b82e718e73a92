import { DspyError } from '../errors.js';
import {
  classChain,
  META,
  type MethodMeta,
  methodLinkOf,
  ownMeta,
  type SignatureOptions,
  tc39MetadataOf,
  throwPendingMisuse,
} from './metadata.js';

/**
 * Listing the `@Signature()` methods of a class. Building their specs (`method-spec.ts`, with
 * the parser of parameter names) is a separate module that the web entry loads on demand.
 */

/** One `@Signature()` method of a class, as `signatureMethodsOf` lists it. */
export interface SignatureMethod {
  /** The method's property name. */
  readonly name: string;
  /** The class that declares it. */
  readonly owner: Function;
  readonly options: SignatureOptions;
  /** The function on the prototype (calls the method runner). */
  readonly method: Function;
}

function ownMethods(c: Function): MethodMeta[] {
  const out: MethodMeta[] = [];
  for (const holder of [tc39MetadataOf(c), c.prototype as object | undefined]) {
    if (holder) out.push(...(ownMeta(holder, META.methods) ?? []));
  }
  return out;
}

/**
 * The `@Signature()` methods of a class and its bases, in declaration order (base first), so
 * that `namedPredictors()` can find them.
 */
export function signatureMethodsOf(ctor: Function): readonly SignatureMethod[] {
  throwPendingMisuse(ctor);
  const out: SignatureMethod[] = [];
  for (const c of classChain(ctor)) {
    for (const meta of ownMethods(c)) {
      const link = methodLinkOf(meta.wrapper);
      if (link && !link.owner) link.owner = c;
      const rest = out.filter((m) => m.name !== meta.key);
      out.length = 0;
      out.push(...rest, { name: meta.key, owner: c, options: meta.options, method: meta.wrapper });
    }
  }
  return out;
}

/** The error for a function given where a `@Signature()` method is expected. @internal */
export function notSignatureMethod(method: Function): DspyError {
  const where = `specOf(${method.name || 'function'})`;
  return new DspyError('SIGNATURE_INVALID', `${where}: the function is not a @Signature() method.`, {
    details: { where, fix: 'Decorate the method with @Signature(), or pass a signature class or string.' },
  });
}
