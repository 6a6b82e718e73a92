/** Base64 of the bytes of `vec` (little-endian float32, as the OpenAI API sends vectors). */
export function float32ToBase64(vec: Float32Array): string {
  const bytes = new Uint8Array(vec.buffer, vec.byteOffset, vec.byteLength);
  if (typeof Buffer !== 'undefined') return Buffer.from(bytes).toString('base64');
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i] as number);
  return btoa(text);
}

/** The float32 vector whose bytes `text` holds in base64 (a fresh, aligned copy). */
export function float32FromBase64(text: string): Float32Array {
  let bytes: Uint8Array;
  if (typeof Buffer !== 'undefined') bytes = Buffer.from(text, 'base64');
  else {
    const raw = atob(text);
    bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  }
  const out = new Float32Array(Math.floor(bytes.length / 4));
  new Uint8Array(out.buffer).set(bytes.subarray(0, out.length * 4));
  return out;
}
