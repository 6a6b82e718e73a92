import { type DeltaSink, withRunContext } from './context.js';
import { AsyncQueue } from './queue.js';

// What a stream runs: loaded by the first streamed call (`streamify.ts`), so that apps that never
// stream do not ship it.

/** Runs `run` with `sink` in scope; yields what the sink receives, then the result. @internal */
export function pump<E, R>(
  sink: (queue: AsyncQueue<E>) => DeltaSink,
  run: () => Promise<R>,
  final: (r: R) => E,
): AsyncIterable<E> {
  return {
    [Symbol.asyncIterator]() {
      const queue = new AsyncQueue<E>();
      withRunContext({ sink: sink(queue) }, run).then(
        (r) => {
          queue.push(final(r));
          queue.end();
        },
        (e: unknown) => queue.fail(e),
      );
      return queue[Symbol.asyncIterator]();
    },
  };
}
