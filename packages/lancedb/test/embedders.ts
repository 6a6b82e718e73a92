/**
 * Deterministic local embedders for the tests: hashed word and character-trigram features
 * (meaning-ish similarity without a network), and seeded random unit vectors (for index tests).
 */
import { createHash } from 'node:crypto';
import type { TextEmbedder } from '../src/index.js';

function bucket(feature: string, dimension: number): { index: number; sign: number } {
  const h = createHash('sha1').update(feature).digest();
  return { index: h.readUInt32LE(0) % dimension, sign: (h[4] as number) & 1 ? 1 : -1 };
}

function unit(v: Float32Array): Float32Array {
  const norm = Math.hypot(...v);
  return norm === 0 ? v : v.map((x) => x / norm);
}

/** Hashed word and character-trigram counts, normalised. */
export function hashedNgrams(text: string, dimension = 256): Float32Array {
  const v = new Float32Array(dimension);
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const add = (feature: string, weight: number) => {
    const { index, sign } = bucket(feature, dimension);
    v[index] = (v[index] as number) + sign * weight;
  };
  for (const w of words) {
    add(`w:${w}`, 2);
    const padded = ` ${w} `;
    for (let i = 0; i + 3 <= padded.length; i++) add(`c:${padded.slice(i, i + 3)}`, 1);
  }
  return unit(v);
}

/** A Gaussian unit vector seeded by the text (mulberry32 + Box-Muller). */
export function seededVector(text: string, dimension: number): Float32Array {
  let seed = createHash('sha1').update(text).digest().readUInt32LE(0);
  const next = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  };
  const v = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++)
    v[i] = Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
  return unit(v);
}

/** An embedder that records every text it was asked to embed. */
export interface RecordingEmbedder extends TextEmbedder {
  readonly calls: string[][];
}

/** Wraps `fn` as an embedder recording its calls. */
export function recording(fn: (text: string) => Float32Array): RecordingEmbedder {
  const calls: string[][] = [];
  return {
    calls,
    async embed(texts: string[]) {
      calls.push([...texts]);
      return texts.map((t) => fn(t));
    },
  };
}

/** The exact top-k ids of `query` among `docs` by cosine similarity (brute force). */
export function exactTopK(
  query: Float32Array,
  docs: readonly { id: string; vector: Float32Array }[],
  k: number,
): { id: string; score: number }[] {
  const scored = docs.map(({ id, vector }) => {
    let dot = 0;
    for (let i = 0; i < vector.length; i++) dot += (vector[i] as number) * (query[i] as number);
    return { id, score: dot };
  });
  return scored.sort((a, b) => b.score - a.score).slice(0, k);
}
