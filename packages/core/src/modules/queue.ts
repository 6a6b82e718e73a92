/**
 * A push-driven async iterable: producers `push` values and `end` (or `fail`) it; one consumer
 * iterates. Values pushed before the consumer asks are buffered.
 * @internal
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly buffer: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private rejectWaiting: ((e: unknown) => void) | undefined;
  private done = false;
  private error: { value: unknown } | undefined;

  /** Adds a value. Ignored after `end`. */
  push(value: T): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.clearWaiter();
      resolve({ value, done: false });
    } else this.buffer.push(value);
  }

  /** Ends the iteration once the buffer is drained. */
  end(): void {
    this.done = true;
    if (this.waiting && this.buffer.length === 0) {
      const resolve = this.waiting;
      this.clearWaiter();
      resolve({ value: undefined, done: true });
    }
  }

  /** Ends the iteration with an error (after the buffered values). */
  fail(error: unknown): void {
    this.error = { value: error };
    this.done = true;
    if (this.waiting && this.buffer.length === 0) {
      const reject = this.rejectWaiting;
      this.clearWaiter();
      reject?.(error);
    }
  }

  private clearWaiter(): void {
    this.waiting = undefined;
    this.rejectWaiting = undefined;
  }

  private next(): Promise<IteratorResult<T>> {
    if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift() as T, done: false });
    if (this.error) return Promise.reject(this.error.value);
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.rejectWaiting = reject;
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.next(),
      return: () => {
        this.buffer.length = 0;
        this.done = true;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
