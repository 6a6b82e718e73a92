import type { Rng } from '../../core/rng.js';

/** What Pareto selection needs of a pool member: its score on each validation instance. */
export interface Scored {
  readonly scores: readonly number[];
}

/** True when `a` is at least as good as `b` on every instance and better on one. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x < y) return false;
    if (x > y) better = true;
  }
  return better;
}

/**
 * The Pareto front of a pool over validation instances: for each instance, the members with
 * the best score there; members dominated by another are dropped (of identical members, the
 * first is kept). Returns each front member's index and how many instances it leads on.
 */
export function paretoFront(pool: readonly Scored[]): { index: number; wins: number }[] {
  const n = pool[0]?.scores.length ?? 0;
  const wins = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    let best = Number.NEGATIVE_INFINITY;
    for (const c of pool) best = Math.max(best, c.scores[i] ?? 0);
    pool.forEach((c, k) => {
      if ((c.scores[i] ?? 0) === best) wins.set(k, (wins.get(k) ?? 0) + 1);
    });
  }
  const keep: { index: number; wins: number }[] = [];
  for (const [index, w] of [...wins.entries()].sort((a, b) => a[0] - b[0])) {
    const me = pool[index] as Scored;
    const beaten = pool.some(
      (other, k) =>
        k !== index &&
        (dominates(other.scores, me.scores) || (k < index && sameScores(other.scores, me.scores))),
    );
    if (!beaten) keep.push({ index, wins: w });
  }
  return keep.length > 0 ? keep : pool.length > 0 ? [{ index: 0, wins: 1 }] : [];
}

function sameScores(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A front member drawn with probability proportional to the instances it leads on. */
export function sampleFront(pool: readonly Scored[], rng: Rng): number {
  const front = paretoFront(pool);
  const total = front.reduce((a, f) => a + f.wins, 0);
  let u = rng.random() * total;
  for (const f of front) {
    u -= f.wins;
    if (u < 0) return f.index;
  }
  return front.at(-1)?.index ?? 0;
}

/** Index of the member with the best mean score (the first on ties). */
export function bestMean(pool: readonly Scored[]): number {
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  pool.forEach((c, i) => {
    const m = c.scores.length === 0 ? 0 : c.scores.reduce((a, b) => a + b, 0) / c.scores.length;
    if (m > bestScore) {
      bestScore = m;
      best = i;
    }
  });
  return best;
}
