/** A vector as a {@link Vectorizer} gives it: numbers, or a `Float32Array` (an `Embedder`'s). */
export type VectorLike = readonly number[] | Float32Array;

/**
 * Turns texts into vectors for nearest-neighbour search. Implement it over an embedding model
 * to replace the built-in lexical {@link TfidfVectorizer}.
 */
export interface Vectorizer {
  /** Learns from the corpus (vocabulary, weights); called once with every train text. */
  fit?(texts: readonly string[]): void | Promise<void>;
  /** One vector per text; similar texts get a high cosine similarity. */
  embed(texts: readonly string[]): readonly VectorLike[] | Promise<readonly VectorLike[]>;
}

const TOKEN = /[\p{L}\p{N}]+/gu;

/** Lower-cased word tokens. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

/**
 * A lexical TF-IDF vectorizer (unigrams, smoothed idf, L2-normalised), so KNNFewShot works
 * offline and deterministically. Words unseen at `fit` are ignored.
 *
 * @example
 * ```ts
 * const v = new TfidfVectorizer();
 * v.fit(['card arrived', 'refund please']);
 * const [a] = v.embed(['where is my card']);
 * ```
 */
export class TfidfVectorizer implements Vectorizer {
  readonly #vocab = new Map<string, number>();
  #idf: number[] = [];

  fit(texts: readonly string[]): void {
    this.#vocab.clear();
    const df: number[] = [];
    for (const text of texts) {
      for (const tok of new Set(tokenize(text))) {
        let id = this.#vocab.get(tok);
        if (id === undefined) {
          id = this.#vocab.size;
          this.#vocab.set(tok, id);
          df.push(0);
        }
        df[id] = (df[id] ?? 0) + 1;
      }
    }
    const n = texts.length;
    this.#idf = df.map((d) => Math.log((1 + n) / (1 + d)) + 1);
  }

  embed(texts: readonly string[]): number[][] {
    return texts.map((text) => {
      const vec = new Array<number>(this.#vocab.size).fill(0);
      for (const tok of tokenize(text)) {
        const id = this.#vocab.get(tok);
        if (id !== undefined) vec[id] = (vec[id] ?? 0) + 1;
      }
      let norm = 0;
      for (let i = 0; i < vec.length; i++) {
        const w = (vec[i] ?? 0) * (this.#idf[i] ?? 0);
        vec[i] = w;
        norm += w * w;
      }
      norm = Math.sqrt(norm);
      return norm === 0 ? vec : vec.map((w) => w / norm);
    });
  }
}

/** Cosine similarity of two vectors (0 when either is zero). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
