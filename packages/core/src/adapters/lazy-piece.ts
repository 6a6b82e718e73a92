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

/** Which function loads a piece, and the fix its "not loaded yet" error gives. @internal */
export interface PieceLoader {
  readonly loader: string;
  readonly fix: string;
}

const ADAPTER_SUPPORT: PieceLoader = {
  loader: 'loadAdapterSupport',
  fix: "Call `await loadAdapterSupport()` once before the adapters' synchronous APIs in a browser or worker; their call() and every module load it by themselves, and the server entry of @dspy-ts/core loads it at start-up.",
};

/** The error of a synchronous API (`where`) that needs `what` before it is loaded. @internal */
export function notLoaded(what: string, where: string, how: PieceLoader = ADAPTER_SUPPORT): DspyError {
  return new DspyError(
    'NOT_LOADED',
    `${where} needs ${what}, which is not loaded yet (the web entry loads it when a call first needs it).`,
    {
      details: { where, fix: how.fix },
    },
  );
}

/**
 * A {@link LazyPiece} that `load` imports with `importer` (a dynamic `import()` of its module);
 * `how` names the public function that loads it (default: `loadAdapterSupport`). @internal
 */
export function lazyPiece<T>(
  what: string,
  importer: () => Promise<T>,
  how: PieceLoader = ADAPTER_SUPPORT,
): LazyPiece<T> {
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
            where: how.loader,
            fix: 'Let the bundler include the chunks of @dspy-ts/core that it imports on demand.',
          },
        });
      });
      return loading;
    },
    now(where) {
      if (piece.value) return piece.value;
      throw notLoaded(what, where, how);
    },
  };
  return piece;
}
