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

/** 32-bit FNV-1a of `s` (UTF-16 code units), finished with murmur3's mixer for well-spread bits. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Adds `weight` to the bucket of `feature`, with a sign from the hash (collisions cancel out on average). */
function addFeature(vec: Float32Array, feature: string, weight: number): void {
  const h = hash32(feature);
  const i = h % vec.length;
  vec[i] = (vec[i] as number) + (h & 0x80000000 ? -weight : weight);
}

function embedText(text: string, dimensions: number): Float32Array {
  const vec = new Float32Array(dimensions);
  const words = text.toLowerCase().match(WORD) ?? [];
  for (let w = 0; w < words.length; w++) {
    const word = words[w] as string;
    addFeature(vec, `w:${word}`, UNIGRAM);
    if (w + 1 < words.length) addFeature(vec, `b:${word} ${words[w + 1]}`, BIGRAM);
    const padded = ` ${word} `;
    const trigram = 1 / Math.sqrt(padded.length - 2);
    for (let c = 0; c + 3 <= padded.length; c++) addFeature(vec, `c:${padded.slice(c, c + 3)}`, trigram);
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
