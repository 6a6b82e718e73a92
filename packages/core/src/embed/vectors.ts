import { DspyError } from '../errors.js';

function badVectors(label: string, what: string, fix: string): DspyError {
  return new DspyError('LM_SERVER', `${label}: ${what}`, { details: { where: label, fix } });
}

/**
 * Checks the vectors of one batch: as many as texts, each a non-empty array of finite numbers of
 * `dimensions` entries (when given; else all of one length). Returns them as `Float32Array`s.
 */
export function checkVectors(
  label: string,
  raw: unknown,
  count: number,
  dimensions: number | undefined,
): Float32Array[] {
  if (!Array.isArray(raw) || raw.length !== count) {
    const got = Array.isArray(raw) ? `${raw.length} vectors` : typeof raw;
    throw badVectors(
      label,
      `expected ${count} vectors (one per text), got ${got}`,
      'Return one vector per input text, in order.',
    );
  }
  let expected = dimensions;
  return raw.map((v: unknown, i) => {
    // A copy: the caller may normalise it in place, and the function may keep its own arrays.
    const vec =
      v instanceof Float32Array ? v.slice() : Array.isArray(v) ? Float32Array.from(v as number[]) : undefined;
    if (!vec || vec.length === 0) {
      throw badVectors(
        label,
        `vector ${i} is not a non-empty array of numbers`,
        'Return number[] or Float32Array per text.',
      );
    }
    if (expected !== undefined && vec.length !== expected) {
      throw badVectors(
        label,
        `vector ${i} has ${vec.length} dimensions, expected ${expected}`,
        dimensions === undefined
          ? 'Every vector of one embedder must have the same length.'
          : `Pass the dimensions the model gives (or leave dimensions out), now ${dimensions}.`,
      );
    }
    expected = vec.length;
    for (let j = 0; j < vec.length; j++) {
      if (!Number.isFinite(vec[j])) {
        throw badVectors(
          label,
          `vector ${i} has a non-finite value (${vec[j]}) at ${j}`,
          'Check the embedding model or function: vectors must hold finite numbers.',
        );
      }
    }
    return vec;
  });
}

/** Refuses anything but an array of non-empty strings, naming the first bad entry. */
export function checkTexts(where: string, texts: unknown): asserts texts is readonly string[] {
  if (!Array.isArray(texts)) {
    throw new DspyError('INPUT_INVALID', `${where}: texts must be an array of strings`, {
      details: { where, fix: 'Pass an array of strings, e.g. embed(["a text"]), or use embedOne(text).' },
    });
  }
  const bad = texts.findIndex((t) => typeof t !== 'string' || t.trim() === '');
  if (bad >= 0) {
    const t: unknown = texts[bad];
    const what = typeof t === 'string' ? 'is empty' : `is ${t === null ? 'null' : typeof t}, not a string`;
    throw new DspyError('INPUT_INVALID', `${where}: text ${bad} ${what}`, {
      details: { where, index: bad, fix: 'Embed non-empty strings only (drop or replace empty ones first).' },
    });
  }
}
