import { isPredictor, type Predictor } from './types.js';

/** Marks module instances (classes extending `Module`, or decorated with `@Module()`). @internal */
export const MODULE_MARK: unique symbol = Symbol.for('dspy-ts.module');

/** Something that can list the predictors a decorated signature method owns. @internal */
export type MethodPredictorSource = (instance: object) => readonly (readonly [string, Predictor])[];

let methodSource: MethodPredictorSource = () => [];

/** Lets the method-signature runner report the predictors of decorated methods. @internal */
export function setMethodPredictorSource(source: MethodPredictorSource): void {
  methodSource = source;
}

/** True when `value` is a module: an instance of `Module` or of a class decorated with `@Module()`. */
export function isModule(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [MODULE_MARK]?: unknown })[MODULE_MARK] === true
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** What {@link walkModule} found. @internal */
export interface WalkResult {
  readonly predictors: [string, Predictor][];
  readonly modules: [string, object][];
}

/**
 * Lists the predictors and sub-modules held by `root`, by property path (`generate.predict`,
 * `items.0`), then the predictors of decorated signature methods (by method name).
 * A predictor is a leaf; a root that is itself a predictor is listed as `self`.
 * @internal
 */
export function walkModule(root: object): WalkResult {
  const out: WalkResult = { predictors: [], modules: [] };
  if (isPredictor(root)) {
    out.predictors.push(['self', root]);
    return out;
  }
  const seen = new Set<unknown>([root]);
  visitChildren(root, '', out, seen);
  return out;
}

function visitChildren(holder: object, prefix: string, out: WalkResult, seen: Set<unknown>): void {
  for (const key of Object.keys(holder)) {
    visit((holder as Record<string, unknown>)[key], prefix + key, out, seen);
  }
  if (!isPlainObject(holder)) {
    for (const [name, p] of methodSource(holder)) visit(p, prefix + name, out, seen);
  }
}

function visit(value: unknown, path: string, out: WalkResult, seen: Set<unknown>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  if (isPredictor(value)) {
    seen.add(value);
    out.predictors.push([path, value]);
    if (isModule(value)) out.modules.push([path, value]);
    return;
  }
  if (Array.isArray(value)) {
    seen.add(value);
    value.forEach((item, i) => {
      visit(item, `${path}.${i}`, out, seen);
    });
    return;
  }
  if (isModule(value)) {
    seen.add(value);
    out.modules.push([path, value]);
    visitChildren(value, `${path}.`, out, seen);
    return;
  }
  if (isPlainObject(value)) {
    seen.add(value);
    visitChildren(value, `${path}.`, out, seen);
    return;
  }
  seen.add(value);
  for (const [name, p] of methodSource(value)) visit(p, `${path}.${name}`, out, seen);
}
