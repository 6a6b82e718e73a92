import type { Rng } from '../../core/rng.js';

/** A point of a categorical search space: parameter name → chosen index. */
export type Params = Record<string, number>;

/** One observed trial. */
export interface Observation {
  readonly params: Readonly<Params>;
  readonly score: number;
}

/** Options of {@link CategoricalTPE}. */
export interface TpeOptions {
  /** Random trials before the model is used (default 4). */
  readonly startup?: number;
  /** Share of observations that count as good (default 0.25). */
  readonly gamma?: number;
  /** Samples drawn from the good density per suggestion (default 24). */
  readonly candidates?: number;
  /** Pseudo-count added to every choice (default 1). */
  readonly prior?: number;
}

/**
 * A Tree-structured Parzen Estimator over independent categorical parameters: observations are
 * split into the best `gamma` share (good) and the rest (bad); each parameter gets smoothed
 * choice frequencies l(x) (good) and g(x) (bad); `candidates` points are drawn from l and the
 * one maximising Σ log l(x) − log g(x) is suggested. The first `startup` suggestions are
 * uniform. Every draw comes from the seeded {@link Rng}.
 *
 * @example
 * ```ts
 * const tpe = new CategoricalTPE({ instruction: 3, demos: 6 }, new Rng(9));
 * const next = tpe.suggest(history); // { instruction: 2, demos: 0 }
 * ```
 */
export class CategoricalTPE {
  readonly #space: readonly (readonly [string, number])[];
  readonly #rng: Rng;
  readonly #opts: Required<TpeOptions>;

  constructor(space: Readonly<Record<string, number>>, rng: Rng, opts: TpeOptions = {}) {
    this.#space = Object.entries(space).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.#rng = rng;
    this.#opts = {
      startup: opts.startup ?? 4,
      gamma: opts.gamma ?? 0.25,
      candidates: opts.candidates ?? 24,
      prior: opts.prior ?? 1,
    };
  }

  /** The next point to try, given every observation so far. */
  suggest(history: readonly Observation[]): Params {
    if (history.length < this.#opts.startup) return this.#uniform();
    const sorted = history
      .map((o, i) => ({ o, i }))
      .sort((a, b) => b.o.score - a.o.score || a.i - b.i)
      .map((x) => x.o);
    const nGood = Math.max(1, Math.ceil(this.#opts.gamma * sorted.length));
    const good = sorted.slice(0, nGood);
    const bad = sorted.slice(nGood);
    const l = new Map<string, number[]>();
    const g = new Map<string, number[]>();
    for (const [name, size] of this.#space) {
      l.set(name, this.#density(good, name, size));
      g.set(name, this.#density(bad, name, size));
    }
    let best: Params | undefined;
    let bestGain = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < this.#opts.candidates; c++) {
      const point: Params = {};
      let gain = 0;
      for (const [name] of this.#space) {
        const lp = l.get(name) as number[];
        const x = this.#draw(lp);
        point[name] = x;
        gain += Math.log(lp[x] as number) - Math.log((g.get(name) as number[])[x] as number);
      }
      if (gain > bestGain) {
        bestGain = gain;
        best = point;
      }
    }
    return best ?? this.#uniform();
  }

  /** Smoothed choice frequencies of `name` among `obs`. */
  #density(obs: readonly Observation[], name: string, size: number): number[] {
    const counts = new Array<number>(size).fill(this.#opts.prior);
    for (const o of obs) {
      const x = o.params[name];
      if (x !== undefined && x >= 0 && x < size) counts[x] = (counts[x] as number) + 1;
    }
    const total = counts.reduce((a, b) => a + b, 0);
    return counts.map((c) => c / total);
  }

  #draw(p: readonly number[]): number {
    let u = this.#rng.random();
    for (let i = 0; i < p.length; i++) {
      u -= p[i] as number;
      if (u < 0) return i;
    }
    return p.length - 1;
  }

  #uniform(): Params {
    const out: Params = {};
    for (const [name, size] of this.#space) out[name] = this.#rng.randint(0, size - 1);
    return out;
  }
}
