/** A size-bounded map that forgets its oldest entry first (enough for prompt-part caches). */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly max: number) {}

  /** The cached value of `key`, computing and storing it on a miss. */
  get(key: string, make: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    const value = make();
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, value);
    return value;
  }
}
