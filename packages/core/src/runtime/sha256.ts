import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { optionalNodeBuiltin } from './node-builtins.js';

const encoder = new TextEncoder();

/**
 * The SHA-256 of `text` (UTF-8) in lowercase hex, synchronously on every runtime: Node's
 * `crypto.hash` where the runtime has it (fastest for long prompts), else a pure implementation
 * (browsers, workerd; Web Crypto's digest is asynchronous). Both give the same digest. @internal
 */
export function sha256Hex(text: string): string {
  const crypto = optionalNodeBuiltin('node:crypto');
  if (typeof crypto?.hash === 'function') return crypto.hash('sha256', text, 'hex');
  if (crypto) return crypto.createHash('sha256').update(text).digest('hex');
  return bytesToHex(sha256(encoder.encode(text)));
}

/** The SHA-256 of `bytes` in lowercase hex, synchronously on every runtime (as {@link sha256Hex}). @internal */
export function sha256HexOfBytes(bytes: Uint8Array): string {
  const crypto = optionalNodeBuiltin('node:crypto');
  if (typeof crypto?.hash === 'function') return crypto.hash('sha256', bytes, 'hex');
  if (crypto) return crypto.createHash('sha256').update(bytes).digest('hex');
  return bytesToHex(sha256(bytes));
}
