import { optionalNodeBuiltin } from './node-builtins.js';

/** The part of `AsyncLocalStorage` core uses: a value visible to everything a call awaits. @internal */
export interface AsyncContext<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
}

/**
 * Where the runtime has no `AsyncLocalStorage` (browsers): the store is set for the duration of
 * `fn` and of the promise it returns, then restored. One flow at a time sees its own store;
 * concurrent flows started inside each other's `run` see the innermost one.
 */
class SingleFlowContext<T> implements AsyncContext<T> {
  #store: T | undefined;

  getStore(): T | undefined {
    return this.#store;
  }

  run<R>(store: T, fn: () => R): R {
    const previous = this.#store;
    this.#store = store;
    let result: R;
    try {
      result = fn();
    } catch (err) {
      this.#store = previous;
      throw err;
    }
    if (result instanceof Promise) {
      const restore = () => {
        if (this.#store === store) this.#store = previous;
      };
      result.then(restore, restore);
    } else {
      this.#store = previous;
    }
    return result;
  }
}

/**
 * A new async context: Node's `AsyncLocalStorage` where the runtime provides `node:async_hooks`
 * (Node, Bun, Deno, workerd with `nodejs_compat`), else a single-flow fallback (see the
 * deploying guide: in a browser, run one `withSettings` / traced flow at a time). @internal
 */
export function createAsyncContext<T>(): AsyncContext<T> {
  const hooks = optionalNodeBuiltin('node:async_hooks');
  return hooks ? new hooks.AsyncLocalStorage<T>() : new SingleFlowContext<T>();
}
