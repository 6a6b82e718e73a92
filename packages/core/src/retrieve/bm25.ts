import { checkK, checkQuery, newIds } from './checks.js';
import { topK } from './top-k.js';
import type { Retriever, RetrieverResult } from './types.js';

/** Options of {@link BM25Retriever}. */
export interface BM25Options {
  /** The passages to search. */
  readonly corpus: readonly string[];
  /** Passages `search` returns when not told (default 5). */
  readonly k?: number;
  /** One unique id per passage (default: their positions, `'0'`, `'1'`, ...). */
  readonly ids?: readonly string[];
  /** Term-frequency saturation (default 1.2). */
  readonly k1?: number;
  /** Length normalisation, 0..1 (default 0.75). */
  readonly b?: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-cased words (letters and digits), as BM25 indexes and queries them. */
export function bm25Tokens(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** One term's postings: the passages it occurs in and how often. */
interface Postings {
  readonly docs: number[];
  readonly counts: number[];
}

/**
 * Okapi BM25 over a corpus held in memory (lexical: words shared with the query, weighted by
 * rarity, saturated by `k1`, normalised by passage length with `b`; idf is
 * `ln(1 + (N - df + 0.5) / (df + 0.5))`, never negative). Words are the lower-cased runs of
 * letters and digits, without stemming or stop words. A small implementation of our own, so the
 * run time needs no search library and runs in browsers; only passages sharing a word with the
 * query are returned.
 *
 * @example
 * ```ts
 * const bm25 = new BM25Retriever({ corpus: passages, k: 3 });
 * const { passages: top } = await bm25.search('capital of France');
 * ```
 */
export class BM25Retriever implements Retriever {
  readonly k: number;
  readonly #k1: number;
  readonly #b: number;
  readonly #passages: string[];
  readonly #ids: string[];
  readonly #lengths: Float64Array;
  readonly #avgLength: number;
  readonly #postings = new Map<string, Postings>();

  constructor(options: BM25Options) {
    this.k = checkK('new BM25Retriever({ k })', options.k ?? 5);
    this.#k1 = options.k1 ?? 1.2;
    this.#b = options.b ?? 0.75;
    this.#passages = [...options.corpus];
    this.#ids = newIds('new BM25Retriever({ ids })', this.#passages.length, 0, options.ids, new Map());
    this.#lengths = new Float64Array(this.#passages.length);
    let total = 0;
    this.#passages.forEach((text, doc) => {
      const counts = new Map<string, number>();
      const words = bm25Tokens(text);
      for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
      for (const [w, c] of counts) {
        let p = this.#postings.get(w);
        if (!p) {
          p = { docs: [], counts: [] };
          this.#postings.set(w, p);
        }
        p.docs.push(doc);
        p.counts.push(c);
      }
      this.#lengths[doc] = words.length;
      total += words.length;
    });
    this.#avgLength = this.#passages.length > 0 ? total / this.#passages.length : 0;
  }

  /** Number of passages. */
  get size(): number {
    return this.#passages.length;
  }

  async search(query: string, k?: number): Promise<RetrieverResult> {
    const n = checkK('BM25Retriever.search(query, k)', k ?? this.k);
    checkQuery('BM25Retriever.search(query)', query);
    const count = this.#passages.length;
    const scores = new Float64Array(count);
    const matched = new Uint8Array(count);
    const k1 = this.#k1;
    const b = this.#b;
    const avg = this.#avgLength || 1;
    for (const term of new Set(bm25Tokens(query))) {
      const p = this.#postings.get(term);
      if (!p) continue;
      const idf = Math.log(1 + (count - p.docs.length + 0.5) / (p.docs.length + 0.5));
      for (let j = 0; j < p.docs.length; j++) {
        const doc = p.docs[j] as number;
        const tf = p.counts[j] as number;
        const norm = k1 * (1 - b + (b * (this.#lengths[doc] as number)) / avg);
        scores[doc] = (scores[doc] as number) + (idf * tf * (k1 + 1)) / (tf + norm);
        matched[doc] = 1;
      }
    }
    const best = topK(scores, count, n, (i) => matched[i] === 1);
    return {
      passages: best.indexes.map((i) => this.#passages[i] as string),
      scores: best.scores,
      ids: best.indexes.map((i) => this.#ids[i] as string),
    };
  }

  searchMany(queries: readonly string[], k?: number): Promise<RetrieverResult[]> {
    return Promise.all(queries.map((q) => this.search(q, k)));
  }
}
