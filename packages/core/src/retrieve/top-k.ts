/** The best `k` of a list of scores: their indexes and scores, best first. */
export interface TopK {
  readonly indexes: number[];
  readonly scores: number[];
}

/**
 * The `k` highest of `scores[0..n)` by a bounded min-heap (O(n log k), no full sort), best first;
 * equal scores keep the lower index first, so the result equals a stable sort's first `k`.
 * Entries for which `keep` is false are skipped.
 */
export function topK(scores: ArrayLike<number>, n: number, k: number, keep?: (i: number) => boolean): TopK {
  const size = Math.min(k, n);
  const heapScore = new Float64Array(size);
  const heapIndex = new Int32Array(size);
  let filled = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i] as number;
    if (filled === size && !(s > (heapScore[0] as number))) continue;
    if (keep && !keep(i)) continue;
    if (filled < size) {
      // Sift up: the root holds the worst (lowest score, then highest index).
      let at = filled++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!worse(s, i, heapScore[parent] as number, heapIndex[parent] as number)) break;
        heapScore[at] = heapScore[parent] as number;
        heapIndex[at] = heapIndex[parent] as number;
        at = parent;
      }
      heapScore[at] = s;
      heapIndex[at] = i;
    } else {
      siftDown(heapScore, heapIndex, size, s, i);
    }
  }
  const order = Array.from({ length: filled }, (_, j) => j).sort(
    (a, b) =>
      (heapScore[b] as number) - (heapScore[a] as number) ||
      (heapIndex[a] as number) - (heapIndex[b] as number),
  );
  return {
    indexes: order.map((j) => heapIndex[j] as number),
    scores: order.map((j) => heapScore[j] as number),
  };
}

/** True when (s, i) ranks below (t, j). */
function worse(s: number, i: number, t: number, j: number): boolean {
  return s < t || (s === t && i > j);
}

/** Replaces the root with (s, i) and restores the heap. */
function siftDown(score: Float64Array, index: Int32Array, size: number, s: number, i: number): void {
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= size) break;
    const right = left + 1;
    let child = left;
    if (
      right < size &&
      worse(score[right] as number, index[right] as number, score[left] as number, index[left] as number)
    )
      child = right;
    if (!worse(score[child] as number, index[child] as number, s, i)) break;
    score[at] = score[child] as number;
    index[at] = index[child] as number;
    at = child;
  }
  score[at] = s;
  index[at] = i;
}
