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
 * percent of a whole call's CPU, and the SDK uses nothing of it but the members below (the LM
 * abort tests hold it to that, through the real SDK and HTTP).
 */
export class CallSignal {
  prev: CallSignal | undefined;
  next: CallSignal | undefined;
  #listeners: (() => void)[] | undefined;

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

  /** The caller's signal aborted: runs the listeners once. */
  fire(): void {
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const l of listeners) l();
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
