import { DspyError } from '@dspy-ts/core';

/** Scales `v` to unit length in place (a zero vector stays zero: it matches nothing). */
export function normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) * (v[i] as number);
  if (sum === 0) return v;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * inv;
  return v;
}

/** Where the vectors come from, for error messages. */
export interface VectorSource {
  /** `LanceRetriever(uri#table)`. */
  readonly where: string;
  /** What was embedded: `documents` or `queries`. */
  readonly what: string;
  /** The dimension the table holds, when it exists. */
  readonly dimension?: number;
}

/**
 * Checks what an embedder returned for `count` texts: one finite vector each, all of one
 * dimension (the table's when it has one); returns them as unit-length copies.
 */
export function checkEmbeddings(vectors: unknown, count: number, source: VectorSource): Float32Array[] {
  const fix = 'Give the retriever the embedder its table was built with, or write to a new table.';
  if (!Array.isArray(vectors) || vectors.length !== count) {
    const got = Array.isArray(vectors) ? `${vectors.length} vectors` : typeof vectors;
    throw new DspyError(
      'OPTION_INVALID',
      `${source.where}: the embedder returned ${got} for ${count} ${source.what}.`,
      {
        details: {
          where: source.where,
          fix: 'The embedder must return one Float32Array per text, in order.',
        },
      },
    );
  }
  const dimension = source.dimension ?? (vectors[0] as Float32Array | undefined)?.length;
  return vectors.map((v: unknown, i) => {
    if (!(v instanceof Float32Array) && !Array.isArray(v)) {
      throw new DspyError(
        'OPTION_INVALID',
        `${source.where}: the embedder returned a ${typeof v} for text ${i}.`,
        {
          details: {
            where: source.where,
            fix: 'The embedder must return one Float32Array per text, in order.',
          },
        },
      );
    }
    if (v.length === 0) {
      throw new DspyError(
        'OPTION_INVALID',
        `${source.where}: the embedder returned an empty vector for text ${i}.`,
        {
          details: {
            where: source.where,
            fix: 'Check the embedder: every vector needs at least one component.',
          },
        },
      );
    }
    if (v.length !== dimension) {
      const against = source.dimension === undefined ? 'the first vector of the batch' : 'the table';
      throw new DspyError(
        'OPTION_INVALID',
        `${source.where}: dimension mismatch: the embedder returned a ${v.length}-dim vector for ${source.what} (text ${i}), but ${against} has ${dimension} dimensions.`,
        { details: { where: source.where, expected: dimension, actual: v.length, fix } },
      );
    }
    const copy = Float32Array.from(v as ArrayLike<number>);
    if (copy.some((x) => !Number.isFinite(x))) {
      throw new DspyError(
        'OPTION_INVALID',
        `${source.where}: the embedder returned a non-finite value for text ${i}.`,
        {
          details: {
            where: source.where,
            fix: 'Check the embedder: every component must be a finite number.',
          },
        },
      );
    }
    return normalise(copy);
  });
}
