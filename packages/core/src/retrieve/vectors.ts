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
 * values, one after another) into `out`: one pass over the matrix, four products per step.
 */
export function dotRows(
  matrix: Float32Array,
  count: number,
  dims: number,
  query: Float32Array,
  out: Float64Array,
): void {
  const tail = dims - (dims % 4);
  for (let r = 0, base = 0; r < count; r++, base += dims) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j < tail; j += 4) {
      s0 += (matrix[base + j] as number) * (query[j] as number);
      s1 += (matrix[base + j + 1] as number) * (query[j + 1] as number);
      s2 += (matrix[base + j + 2] as number) * (query[j + 2] as number);
      s3 += (matrix[base + j + 3] as number) * (query[j + 3] as number);
    }
    for (; j < dims; j++) s0 += (matrix[base + j] as number) * (query[j] as number);
    out[r] = s0 + s1 + s2 + s3;
  }
}
