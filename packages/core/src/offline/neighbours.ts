import { BoundedCache } from './bounded-cache.js';
import { contentWords } from './tokens.js';

/** A demo's index and its TF-IDF cosine similarity to the query. */
export interface Neighbour {
  readonly index: number;
  readonly similarity: number;
}

const counts = new BoundedCache<ReadonlyMap<string, number>>(8192);

/** Word counts of a text (cached by content: demos recur across prompts). */
function termCounts(text: string): ReadonlyMap<string, number> {
  return counts.get(text, () => {
    const tf = new Map<string, number>();
    for (const w of contentWords(text)) tf.set(w, (tf.get(w) ?? 0) + 1);
    return tf;
  });
}

/**
 * Ranks documents by TF-IDF cosine similarity to `query`: term frequency x smoothed inverse
 * document frequency `ln((1 + N) / (1 + df)) + 1` over the documents plus the query. Ties keep
 * the earlier document first; documents with no shared word are left out.
 */
export function rankNeighbours(query: string, documents: readonly string[]): Neighbour[] {
  const q = termCounts(query);
  if (q.size === 0 || documents.length === 0) return [];
  const docs = documents.map(termCounts);
  const df = new Map<string, number>();
  for (const d of [q, ...docs]) for (const w of d.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const n = docs.length + 1;
  const idf = (w: string) => Math.log((1 + n) / (1 + (df.get(w) ?? 0))) + 1;
  const norm = (v: ReadonlyMap<string, number>) =>
    Math.sqrt([...v].reduce((s, [w, c]) => s + (c * idf(w)) ** 2, 0));
  const qn = norm(q);
  const ranked: Neighbour[] = [];
  docs.forEach((d, index) => {
    let dot = 0;
    for (const [w, c] of q) {
      const dc = d.get(w);
      if (dc) dot += c * dc * idf(w) ** 2;
    }
    if (dot > 0) ranked.push({ index, similarity: dot / (qn * norm(d)) });
  });
  return ranked.sort((a, b) => b.similarity - a.similarity || a.index - b.index);
}
