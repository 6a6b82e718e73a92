import { DspyError } from '@dspy-ts/core';

/** Options of {@link hashingEmbedding}. */
export interface HashingEmbeddingOptions {
  /** Length of each vector (default 384). */
  readonly dimensions?: number;
}

/** The default length of a {@link hashingEmbedding} vector. */
export const HASHING_DIMENSIONS = 384;

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Weights of the three kinds of feature: a word, then a pair of adjacent words; a word's 3-grams
 * share a weight as large as the word's own (each gets 1/sqrt(count)), so short and long words
 * weigh alike and inflections ("cat", "cats") stay near.
 */
const UNIGRAM = 1;
const BIGRAM = 0.5;

const FNV_BASIS = 0x811c9dc5;
/** First code of each kind of feature, so a word, a pair and a 3-gram of equal text hash apart. */
const WORD_KIND = 0x77;
const PAIR_KIND = 0x62;
const GRAM_KIND = 0x63;
const SPACE = 0x20;

/** One step of 32-bit FNV-1a. */
function step(h: number, code: number): number {
  return Math.imul(h ^ code, 0x01000193);
}

/** FNV-1a of `word`'s UTF-16 code units, continuing from `h`. */
function stepWord(h: number, word: string): number {
  let out = h;
  for (let i = 0; i < word.length; i++) out = step(out, word.charCodeAt(i));
  return out;
}

/** Adds `weight` to the bucket of hash `h` (finished with murmur3's mixer for well-spread bits), with a sign from it (collisions cancel out on average). */
function addFeature(vec: Float32Array, h: number, weight: number): void {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x = (x ^ (x >>> 16)) >>> 0;
  const i = x % vec.length;
  vec[i] = (vec[i] as number) + (x & 0x80000000 ? -weight : weight);
}

function embedText(text: string, dimensions: number): Float32Array {
  const vec = new Float32Array(dimensions);
  const words = text.toLowerCase().match(WORD) ?? [];
  for (let w = 0; w < words.length; w++) {
    const word = words[w] as string;
    addFeature(vec, stepWord(step(FNV_BASIS, WORD_KIND), word), UNIGRAM);
    const next = words[w + 1];
    if (next !== undefined) {
      addFeature(vec, stepWord(step(stepWord(step(FNV_BASIS, PAIR_KIND), word), SPACE), next), BIGRAM);
    }
    // The 3-grams of the word padded with a space on each side (" cat " → " ca", "cat", "at ").
    const padded = word.length + 2;
    const gram = 1 / Math.sqrt(padded - 2);
    const code = (p: number) => (p === 0 || p === padded - 1 ? SPACE : word.charCodeAt(p - 1));
    for (let c = 0; c + 3 <= padded; c++) {
      addFeature(vec, step(step(step(step(FNV_BASIS, GRAM_KIND), code(c)), code(c + 1)), code(c + 2)), gram);
    }
  }
  let norm = 0;
  for (let i = 0; i < dimensions; i++) norm += (vec[i] as number) ** 2;
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < dimensions; i++) vec[i] = (vec[i] as number) * inv;
  }
  return vec;
}

/**
 * A deterministic local embedding for tests and offline runs: each text's lower-cased word
 * unigrams, word bigrams and character 3-grams (of each word) are hashed into a fixed number of
 * signed buckets and the vector is L2-normalised. Texts that share words and word pieces get a
 * high cosine similarity, so retrieval works "by meaning-ish similarity" with no network and
 * no model; it is lexical, not semantic: it does not know that "car" and "automobile" are alike.
 * A text without any letter or digit gets the zero vector.
 *
 * @example
 * ```ts
 * const embedder = new Embedder((texts) => Promise.resolve(hashingEmbedding(texts)));
 * const [a, b] = hashingEmbedding(['the capital of France', 'France capital city'], { dimensions: 64 });
 * ```
 */
export function hashingEmbedding(
  texts: readonly string[],
  options: HashingEmbeddingOptions = {},
): Float32Array[] {
  const dimensions = options.dimensions ?? HASHING_DIMENSIONS;
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new DspyError(
      'INPUT_INVALID',
      `hashingEmbedding: dimensions must be a positive integer, got ${dimensions}`,
      {
        details: {
          where: 'hashingEmbedding(texts, { dimensions })',
          fix: 'Pass dimensions >= 1 (default 384).',
        },
      },
    );
  }
  return texts.map((t) => embedText(t, dimensions));
}
