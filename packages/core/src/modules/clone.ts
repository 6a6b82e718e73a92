import { isPredictor } from './types.js';
import { isModule } from './walk.js';

function isPlain(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Deep-copies a module graph: modules, predictors, arrays and plain objects are copied (one
 * copy per original, so shared references stay shared); everything else (LMs, adapters,
 * signature specs, examples, functions, class instances) is shared. Copies keep their
 * prototype. Classes with `#private` fields cannot be copied this way.
 * @internal
 */
export function deepCloneModule<T extends object>(root: T): T {
  return cloneValue(root, new Map()) as T;
}

function cloneValue(value: unknown, memo: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = memo.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const arr: unknown[] = [];
    memo.set(value, arr);
    for (const item of value) arr.push(cloneValue(item, memo));
    return arr;
  }
  if (!isModule(value) && !isPredictor(value) && !isPlain(value)) return value;
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<PropertyKey, unknown>;
  memo.set(value, copy);
  for (const key of Reflect.ownKeys(value)) {
    const desc = Object.getOwnPropertyDescriptor(value, key);
    if (!desc) continue;
    if ('value' in desc) desc.value = cloneValue(desc.value, memo);
    Object.defineProperty(copy, key, desc);
  }
  return copy;
}
