/**
 * The signal the SDK is given for one call, following the caller's signal. The SDK reads
 * `aborted` and, on every attempt, adds an 'abort' listener it never removes: with one
 * long-lived signal shared by many calls (an `evaluate` run's) those listeners would pile up on
 * it. They are collected here instead and dropped with the call, while the caller's signal
 * carries a single listener for all its calls in flight, which form a linked list of these
 * (a list and not a `Set`: a set that every call enters and leaves keeps the calls it held
 * reachable from its discarded tables until a full collection, so every young-generation
 * collection would copy them).
 *
 * Not an `AbortController`'s signal: making one and listening on it costs about 5 µs, a few
 * percent of a whole call's CPU. The `openai` SDK (6.x) reads `aborted` and calls
 * `addEventListener('abort', …)`, and hands `fetch` a signal of its own; `reason`,
 * `throwIfAborted` and `removeEventListener` are here for completeness. The LM tests hold the
 * SDK to that: abort tests through the real SDK and HTTP, and a `fetch` that checks it is given
 * a real `AbortSignal`.
 */
export class CallSignal {
  prev: CallSignal | undefined;
  next: CallSignal | undefined;
  #listeners: (() => void)[] | undefined;
  #onAbort: (() => void) | undefined;

  constructor(
    private readonly source: AbortSignal,
    private readonly list: { head: CallSignal | undefined } | undefined,
  ) {}

  get aborted(): boolean {
    return this.source.aborted;
  }

  get reason(): unknown {
    return this.source.reason;
  }

  throwIfAborted(): void {
    this.source.throwIfAborted();
  }

  /** Adds an 'abort' listener; one added after the abort runs at once (in a microtask). */
  addEventListener(type: string, listener: () => void): void {
    if (type !== 'abort') return;
    if (this.source.aborted) queueMicrotask(listener);
    else if (this.#listeners) this.#listeners.push(listener);
    else this.#listeners = [listener];
  }

  removeEventListener(type: string, listener: () => void): void {
    if (type !== 'abort' || !this.#listeners) return;
    this.#listeners = this.#listeners.filter((l) => l !== listener);
  }

  /**
   * `pending`, or an abort error as soon as the caller's signal aborts: the SDK waits between
   * attempts (up to the server's `retry-after`) without watching its signal.
   */
  race<T>(pending: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const abort = () => {
        pending.catch(() => undefined);
        reject(new CallAbortedError(this.source.reason));
      };
      if (this.source.aborted) abort();
      else this.#onAbort = abort;
      pending.then(resolve, reject);
    });
  }

  /** The caller's signal aborted: runs the listeners once, each whatever the others do. */
  fire(): void {
    const listeners = this.#listeners;
    const onAbort = this.#onAbort;
    this.#listeners = this.#onAbort = undefined;
    if (listeners) for (const l of listeners) runListener(l);
    if (onAbort) onAbort();
  }

  /** The call is over: leaves the list of calls in flight. */
  release(): void {
    const list = this.list;
    if (!list) return;
    if (this.prev) this.prev.next = this.next;
    else if (list.head === this) list.head = this.next;
    if (this.next) this.next.prev = this.prev;
    this.prev = this.next = undefined;
  }

  /** This object as the SDK's request option, which is typed as a DOM `AbortSignal`. */
  forSdk(): AbortSignal {
    return this as unknown as AbortSignal;
  }
}

/** What a call raced against its caller's signal (see {@link CallSignal.race}) ends with. */
export class CallAbortedError extends Error {
  constructor(reason: unknown) {
    super('Request was aborted.', { cause: reason });
    this.name = 'AbortError';
  }
}

/** A listener that throws is reported as an uncaught error, as `EventTarget` does, after the others ran. */
function runListener(listener: () => void): void {
  try {
    listener();
  } catch (err) {
    queueMicrotask(() => {
      throw err;
    });
  }
}

/** Per caller signal: its calls in flight (see {@link CallSignal}). */
const relays = new WeakMap<AbortSignal, { head: CallSignal | undefined }>();

/** The signal for one call on the caller's `signal` (none without one); release it when done. */
export function callSignal(signal: AbortSignal | undefined): CallSignal | undefined {
  if (!signal) return undefined;
  if (signal.aborted) return new CallSignal(signal, undefined);
  let list = relays.get(signal);
  if (!list) {
    const calls: { head: CallSignal | undefined } = { head: undefined };
    list = calls;
    relays.set(signal, calls);
    signal.addEventListener(
      'abort',
      () => {
        let c = calls.head;
        calls.head = undefined;
        while (c) {
          const next = c.next;
          c.prev = c.next = undefined;
          c.fire();
          c = next;
        }
      },
      { once: true },
    );
  }
  const call = new CallSignal(signal, list);
  call.next = list.head;
  if (list.head) list.head.prev = call;
  list.head = call;
  return call;
}
