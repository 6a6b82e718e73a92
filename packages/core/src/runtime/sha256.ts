import { optionalNodeBuiltin } from './node-builtins.js';

const encoder = new TextEncoder();

/** The 32 bits after the point of `x` (x > 0). */
const fraction = (x: number): number => ((x - Math.floor(x)) * 2 ** 32) >>> 0;

/** Round constants and initial state of SHA-256 (FIPS 180-4 §4.2.2, §5.3.3), derived once. */
let tables: { readonly k: Uint32Array; readonly init: Uint32Array } | undefined;

/**
 * The constants as the standard defines them: the first 32 bits of the fractional parts of the
 * cube roots of the first 64 primes (`k`) and of the square roots of the first 8 (`init`).
 * Computing them is shorter than listing them; the test vectors pin every one.
 */
function constants(): { readonly k: Uint32Array; readonly init: Uint32Array } {
  if (tables) return tables;
  const k = new Uint32Array(64);
  const init = new Uint32Array(8);
  let n = 0;
  for (let p = 2; n < 64; p++) {
    let prime = true;
    for (let d = 2; d * d <= p; d++) if (p % d === 0) prime = false;
    if (!prime) continue;
    if (n < 8) init[n] = fraction(Math.sqrt(p));
    k[n++] = fraction(Math.cbrt(p));
  }
  tables = { k, init };
  return tables;
}

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/**
 * SHA-256 of `bytes` in lowercase hex, in plain JavaScript: for runtimes without `node:crypto`
 * (browsers, workerd), where Web Crypto's digest is asynchronous. @internal
 */
export function sha256HexPure(bytes: Uint8Array): string {
  const { k, init } = constants();
  const h = init.slice();
  const length = bytes.length;
  // The message, a 1 bit, zeros, then its length in bits as 64 bits big-endian: whole 64-byte blocks.
  const padded = new Uint8Array((((length + 8) >> 6) + 1) << 6);
  padded.set(bytes);
  padded[length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(length / 2 ** 29));
  view.setUint32(padded.length - 4, (length << 3) >>> 0);
  const w = new Uint32Array(64);
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(block + i * 4);
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15]!;
      const b = w[i - 2]!;
      w[i] =
        (rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3)) +
        w[i - 16]! +
        (rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10)) +
        w[i - 7]!;
    }
    let a = h[0]!;
    let b = h[1]!;
    let c = h[2]!;
    let d = h[3]!;
    let e = h[4]!;
    let f = h[5]!;
    let g = h[6]!;
    let hh = h[7]!;
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i]! + w[i]!) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    // A Uint32Array keeps each sum modulo 2^32.
    h[0]! += a;
    h[1]! += b;
    h[2]! += c;
    h[3]! += d;
    h[4]! += e;
    h[5]! += f;
    h[6]! += g;
    h[7]! += hh;
  }
  let hex = '';
  for (const word of h) hex += word.toString(16).padStart(8, '0');
  return hex;
}

/**
 * The SHA-256 of `text` (UTF-8) in lowercase hex, synchronously on every runtime: Node's
 * `crypto.hash` where the runtime has it (fastest for long prompts), else a pure implementation
 * (browsers, workerd; Web Crypto's digest is asynchronous). Both give the same digest. @internal
 */
export function sha256Hex(text: string): string {
  const crypto = optionalNodeBuiltin('node:crypto');
  if (typeof crypto?.hash === 'function') return crypto.hash('sha256', text, 'hex');
  if (crypto) return crypto.createHash('sha256').update(text).digest('hex');
  return sha256HexPure(encoder.encode(text));
}

/** The SHA-256 of `bytes` in lowercase hex, synchronously on every runtime (as {@link sha256Hex}). @internal */
export function sha256HexOfBytes(bytes: Uint8Array): string {
  const crypto = optionalNodeBuiltin('node:crypto');
  if (typeof crypto?.hash === 'function') return crypto.hash('sha256', bytes, 'hex');
  if (crypto) return crypto.createHash('sha256').update(bytes).digest('hex');
  return sha256HexPure(bytes);
}
