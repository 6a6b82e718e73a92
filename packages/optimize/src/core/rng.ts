import { DspyError } from '@dspy-ts/core';
import { type RandomGenerator, unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';

/**
 * A seeded random number generator for optimizers: every random choice an optimizer makes
 * comes from one of these, so the same seed gives the same compiled program.
 *
 * @example
 * ```ts
 * const rng = new Rng(0);
 * const order = rng.shuffle([1, 2, 3, 4]);
 * const pick = rng.sample(order, 2);
 * ```
 */
export class Rng {
  readonly #gen: RandomGenerator;

  /**
   * Creates a generator from an integer seed (xoroshiro128+). The seed goes through a murmur3
   * finaliser first: xoroshiro128+ seeded directly from nearby integers gives nearly equal first
   * draws, so every seed must be spread over the whole state before use.
   */
  constructor(readonly seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new DspyError('OPTIMIZER_INVALID', `Seed ${String(seed)} is not an integer.`, {
        details: { where: 'seed', fix: 'Pass an integer seed, e.g. { seed: 0 }.' },
      });
    }
    this.#gen = xoroshiro128plus(scrambleSeed(seed));
    // The low state words start at 0; a few draws let the scrambled bits reach all of them.
    for (let i = 0; i < 4; i++) this.#gen.unsafeNext();
  }

  /** An independent generator derived from this seed and a label (stable across runs). */
  fork(label: string | number): Rng {
    return new Rng(mixSeed(this.seed, String(label)));
  }

  /** An integer in `[lo, hi]`, both ends included. */
  randint(lo: number, hi: number): number {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
      throw new DspyError('INTERNAL', `randint(${lo}, ${hi}) has an empty range.`, {
        details: { where: 'Rng.randint', fix: 'Pass integers with lo <= hi.' },
      });
    }
    return unsafeUniformIntDistribution(lo, hi, this.#gen);
  }

  /** A float in `[0, 1)`. */
  random(): number {
    return unsafeUniformIntDistribution(0, 2 ** 31 - 1, this.#gen) / 2 ** 31;
  }

  /** A shuffled copy of `items` (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.randint(0, i);
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }

  /** `k` distinct items drawn without replacement, in draw order (all of them when `k` ≥ length). */
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffle(items).slice(0, Math.max(0, k));
  }

  /** One item, or undefined for an empty list. */
  choice<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[this.randint(0, items.length - 1)];
  }
}

/** Derives a 32-bit seed from a seed and a label (FNV-1a over both). */
export function mixSeed(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ (seed | 0);
  const text = `${seed}:${label}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** A well-spread 32-bit value from an integer seed (murmur3's fmix32 over its low and high words). */
export function scrambleSeed(seed: number): number {
  const hi = Math.floor(seed / 2 ** 32) | 0;
  let h = (seed | 0) ^ Math.imul(hi ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
