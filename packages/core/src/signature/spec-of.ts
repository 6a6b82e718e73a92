import { DspyError } from '../errors.js';
import { classSpecOf } from './class-spec.js';
import { methodLinkOf } from './metadata.js';
import { notSignatureMethod, signatureMethodsOf } from './method-list.js';
import { methodSpecs } from './method-support.js';
import { SignatureSpec } from './spec.js';
import { signature } from './string-signature.js';
import type { SignatureClass, SignatureTarget, SpecOf } from './types.js';

/** Anything `specOf` accepts. */
export type SpecSource =
  | SignatureTarget
  | { readonly isPredictor: true; readonly signature: SignatureSpec<object, object> }
  | ((...args: never) => Promise<unknown>);

/** True for a {@link SignatureSpec}, also one made by another copy of the package. */
export function isSignatureSpec(value: unknown): value is SignatureSpec<object, object> {
  if (value instanceof SignatureSpec) return true;
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Record<keyof SignatureSpec, unknown>>;
  return (
    typeof v.name === 'string' &&
    typeof v.instructions === 'string' &&
    Array.isArray(v.inputs) &&
    Array.isArray(v.outputs) &&
    typeof v.hash === 'string' &&
    typeof v.withInstructions === 'function'
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return `the function ${value.name || '(anonymous)'}`;
  if (typeof value === 'object')
    return `an object (${(value as object).constructor?.name ?? 'no prototype'})`;
  return typeof value;
}

/**
 * The `SignatureSpec` of a signature class, a `@Signature()` method (`Service.prototype.classify`
 * or `specOf(Service, 'classify')`), a string signature, a spec, or a predictor.
 *
 * @example
 * ```ts
 * const spec = specOf(QA); // { name: 'QA', instructions, inputs, outputs, hash }
 * const cls = specOf(Service, 'classify');
 * ```
 */
export function specOf<const T extends SpecSource>(target: T): SpecOf<T>;
export function specOf<C extends SignatureClass, K extends string & keyof InstanceType<C>>(
  ctor: C,
  method: K,
): SpecOf<InstanceType<C>[K]>;
export function specOf(target: unknown, method?: string): SignatureSpec<object, object> {
  if (method !== undefined) {
    if (typeof target !== 'function') {
      throw new DspyError(
        'SIGNATURE_INVALID',
        `specOf(${describe(target)}, '${method}'): expected a class first.`,
        {
          details: {
            where: 'specOf',
            fix: `Pass the class that declares ${method}: specOf(Service, '${method}').`,
          },
        },
      );
    }
    const found = signatureMethodsOf(target).find((m) => m.name === method);
    if (!found) {
      const where = `${target.name}.${method}`;
      throw new DspyError(
        'SIGNATURE_INVALID',
        `specOf(${target.name}, '${method}'): ${where} is not a @Signature() method.`,
        {
          details: { where, fix: `Decorate ${where} with @Signature().` },
        },
      );
    }
    return methodSpecs.now(`specOf(${target.name}, '${method}')`).methodSpecOf(found.method, target);
  }
  if (typeof target === 'string') return signature(target);
  if (isSignatureSpec(target)) return target;
  if (
    typeof target === 'object' &&
    target !== null &&
    (target as { isPredictor?: unknown }).isPredictor === true
  ) {
    const sig = (target as { signature?: unknown }).signature;
    if (isSignatureSpec(sig)) return sig;
  }
  if (typeof target === 'function') {
    const isClass = Function.prototype.toString.call(target).startsWith('class');
    if (methodLinkOf(target)) return methodSpecs.now(`specOf(${target.name})`).methodSpecOf(target);
    if (!isClass) throw notSignatureMethod(target);
    return classSpecOf(target);
  }
  throw new DspyError('SIGNATURE_INVALID', `specOf: cannot make a signature from ${describe(target)}.`, {
    details: {
      where: 'specOf',
      fix: "Pass a @Signature() class, a @Signature() method, a string such as 'question -> answer', a SignatureSpec, or a predictor.",
    },
  });
}
