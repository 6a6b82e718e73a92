import type { SignatureSpec } from './spec.js';

/**
 * What a decorated signature method does when called: `self` is the instance, `args` the
 * call's arguments (inputs in parameter order). Installed by the modules area (it runs a
 * `Predict` over `spec`), so the signature area needs no import of it.
 */
export type MethodRunner = (
  self: object,
  methodName: string,
  spec: SignatureSpec<object, object>,
  args: unknown[],
) => Promise<unknown>;

const RUNNER_KEY = Symbol.for('dspy-ts.methodRunner');

type RunnerHolder = { [RUNNER_KEY]?: MethodRunner };

/**
 * Installs the function every `@Signature` method calls (the last call wins; `undefined` removes it).
 *
 * @example
 * ```ts
 * setMethodRunner((self, name, spec, args) => predictorFor(self, name, spec).call(args));
 * ```
 */
export function setMethodRunner(fn: MethodRunner | undefined): void {
  const g = globalThis as RunnerHolder;
  if (fn) g[RUNNER_KEY] = fn;
  else delete g[RUNNER_KEY];
}

/** The installed method runner, if any. */
export function getMethodRunner(): MethodRunner | undefined {
  return (globalThis as RunnerHolder)[RUNNER_KEY];
}
