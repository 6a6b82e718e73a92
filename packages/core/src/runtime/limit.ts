/** A function that runs `fn` once fewer than its bound are running, in call order. @internal */
export type Limit = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * At most `max` of the functions given to the returned {@link Limit} run at once; the others wait
 * in call order and start as running ones settle. A function that throws counts as settled.
 * @internal
 */
export function concurrencyLimit(max: number): Limit {
  let active = 0;
  const waiting: (() => void)[] = [];
  const done = () => {
    active--;
    waiting.shift()?.();
  };
  return <T>(fn: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const run = () => {
        active++;
        (async () => fn())().then(resolve, reject).finally(done);
      };
      if (active < max) run();
      else waiting.push(run);
    });
}
