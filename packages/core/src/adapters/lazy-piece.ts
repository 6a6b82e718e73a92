import { DspyError } from '../errors.js';

/**
 * A module of the adapters that the web entry loads when a call first needs it, and the server
 * entry registers at start-up (see `loadAdapterSupport`). @internal
 */
export interface LazyPiece<T> {
  /** The module, once loaded or registered. */
  value: T | undefined;
  /** Installs the module (the first one registered wins). */
  register(value: T): void;
  /** Loads the module unless it is there already. */
  load(): Promise<void>;
  /** The module, or a clear error saying that `where` needs it and what to await. */
  now(where: string): T;
}

/** The error of a synchronous API (`where`) that needs `what` before it is loaded. @internal */
export function notLoaded(what: string, where: string): DspyError {
  return new DspyError(
    'INTERNAL',
    `${where} needs ${what}, which is not loaded yet (the web entry loads it when a call first needs it).`,
    {
      details: {
        where,
        fix: "Call `await loadAdapterSupport()` once before the adapters' synchronous APIs in a browser or worker; their call() and every module load it by themselves, and the server entry of @dspy-ts/core loads it at start-up.",
      },
    },
  );
}

/** A {@link LazyPiece} that `load` imports with `importer` (a dynamic `import()` of its module). @internal */
export function lazyPiece<T>(what: string, importer: () => Promise<T>): LazyPiece<T> {
  let loading: Promise<void> | undefined;
  const piece: LazyPiece<T> = {
    value: undefined,
    register(value) {
      piece.value ??= value;
    },
    load() {
      if (piece.value) return Promise.resolve();
      loading ??= importer().then(piece.register, (err: unknown) => {
        loading = undefined;
        throw new DspyError('INTERNAL', `Cannot load ${what}: ${String(err)}`, {
          cause: err,
          details: {
            where: 'loadAdapterSupport',
            fix: 'Let the bundler include the chunks of @dspy-ts/core that it imports on demand.',
          },
        });
      });
      return loading;
    },
    now(where) {
      if (piece.value) return piece.value;
      throw notLoaded(what, where);
    },
  };
  return piece;
}
