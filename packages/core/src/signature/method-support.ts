import { type LazyPiece, lazyPiece } from '../adapters/lazy-piece.js';

/**
 * The specs of `@Signature()` methods (`method-spec.ts`): the web entry loads them when a class
 * first declares such a method (the decorator starts the import) or a method is first called;
 * the server entry registers them at start-up (see `method-support-eager.ts`). @internal
 */
export const methodSpecs: LazyPiece<typeof import('./method-spec.js')> = lazyPiece(
  'the support of @Signature() methods',
  () => import('./method-spec.js'),
  {
    loader: 'loadMethodSignatures',
    fix: 'Call `await loadMethodSignatures()` once before specOf() or new Predict() on a @Signature() method in a browser or worker (declaring or calling such a method starts the load by itself); the server entry of @dspy-ts/core loads it at start-up.',
  },
);

/**
 * Loads what `specOf()` and `new Predict()` need for a `@Signature()` method on the web entry.
 * The server entry loads it at start-up, and calling a decorated method loads it by itself.
 *
 * @example
 * ```ts
 * await loadMethodSignatures();
 * const spec = specOf(Support, 'classify');
 * ```
 */
export function loadMethodSignatures(): Promise<void> {
  return methodSpecs.load();
}
