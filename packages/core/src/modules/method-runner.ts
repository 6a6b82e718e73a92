import { setMethodRunner, signatureMethodsOf, specOf } from '../signature/index.js';
import type { SignatureSpec } from '../signature/spec.js';
import { PredictBase } from './predict.js';
import type { Predictor } from './types.js';
import { setMethodPredictorSource } from './walk.js';

type Spec = SignatureSpec<object, object>;

const METHOD_PREDICTORS: unique symbol = Symbol.for('dspy-ts.methodPredictors');

type Holder = { [METHOD_PREDICTORS]?: Record<string, PredictBase> };

/**
 * The `Predict` behind a `@Signature()` method of `instance`: created on first use, cached on
 * the instance (so each instance, and each clone, has its own state).
 *
 * @example
 * ```ts
 * const p = methodPredictor(service, 'classify');
 * p.demos = [...];
 * ```
 */
export function methodPredictor(instance: object, method: string, spec?: Spec): PredictBase {
  const holder = instance as Holder;
  let store = holder[METHOD_PREDICTORS];
  if (!store) {
    store = Object.create(null) as Record<string, PredictBase>;
    Object.defineProperty(instance, METHOD_PREDICTORS, { value: store, enumerable: false });
  }
  const current = store[method];
  const want =
    spec ?? (current ? undefined : (specOf(instance.constructor as never, method as never) as Spec));
  if (current && (want === undefined || current.declaredSignature.hash === want.hash)) return current;
  const created = new PredictBase(want as Spec);
  store[method] = created;
  return created;
}

/** The predictors of the `@Signature()` methods of `instance`, by method name. */
export function methodPredictorsOf(instance: object): [string, Predictor][] {
  const methods = signatureMethodsOf(instance.constructor);
  return methods.map((m) => [m.name, methodPredictor(instance, m.name)]);
}

/** Runs a decorated method: positional arguments become the inputs, in parameter order. */
async function runMethod(self: object, name: string, spec: Spec, args: unknown[]): Promise<unknown> {
  const predictor = methodPredictor(self, name, spec);
  const inputs: Record<string, unknown> = {};
  spec.inputs.forEach((f, i) => {
    if (i < args.length) inputs[f.name] = args[i];
  });
  const prediction = await predictor.forward(inputs);
  return prediction.toJSON();
}

setMethodRunner(runMethod);
setMethodPredictorSource(methodPredictorsOf);
