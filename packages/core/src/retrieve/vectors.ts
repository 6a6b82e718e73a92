/** Scales `vec` in place to unit length (a zero vector stays zero); returns it. */
export function normalize(vec: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < vec.length; i++) norm += (vec[i] as number) * (vec[i] as number);
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < vec.length; i++) vec[i] = (vec[i] as number) * inv;
  }
  return vec;
}

/**
 * The dot product of `query` with each of the first `count` rows of `matrix` (rows of `dims`
 * values, one after another) into `out`, in one pass over the matrix. Eight rows are scored at
 * once, so each query value is loaded once per eight rows and eight sums run side by side (the
 * fastest form measured on V8, which does not vectorise: see docs/benchmarks.md).
 */
export function dotRows(
  matrix: Float32Array,
  count: number,
  dims: number,
  query: Float32Array,
  out: Float64Array,
): void {
  let r = 0;
  for (; r + 8 <= count; r += 8) {
    const b0 = r * dims;
    const b1 = b0 + dims;
    const b2 = b1 + dims;
    const b3 = b2 + dims;
    const b4 = b3 + dims;
    const b5 = b4 + dims;
    const b6 = b5 + dims;
    const b7 = b6 + dims;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let j = 0; j < dims; j++) {
      const x = query[j] as number;
      s0 += (matrix[b0 + j] as number) * x;
      s1 += (matrix[b1 + j] as number) * x;
      s2 += (matrix[b2 + j] as number) * x;
      s3 += (matrix[b3 + j] as number) * x;
      s4 += (matrix[b4 + j] as number) * x;
      s5 += (matrix[b5 + j] as number) * x;
      s6 += (matrix[b6 + j] as number) * x;
      s7 += (matrix[b7 + j] as number) * x;
    }
    out[r] = s0;
    out[r + 1] = s1;
    out[r + 2] = s2;
    out[r + 3] = s3;
    out[r + 4] = s4;
    out[r + 5] = s5;
    out[r + 6] = s6;
    out[r + 7] = s7;
  }
  for (; r < count; r++) {
    const base = r * dims;
    let s = 0;
    for (let j = 0; j < dims; j++) s += (matrix[base + j] as number) * (query[j] as number);
    out[r] = s;
  }
}
