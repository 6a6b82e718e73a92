import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256HexPure } from '../../src/runtime/sha256.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('sha256HexPure', () => {
  it('gives the FIPS 180-4 test vectors', () => {
    expect(sha256HexPure(utf8(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256HexPure(utf8('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(sha256HexPure(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(sha256HexPure(new Uint8Array(1_000_000).fill(0x61))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });

  it('agrees with node:crypto around every block boundary and on random bytes', () => {
    for (let n = 0; n <= 200; n++) {
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) bytes[i] = (i * 131 + n * 7) & 0xff;
      expect(sha256HexPure(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    const big = new Uint8Array(70_001);
    crypto.getRandomValues(big.subarray(0, 65_536));
    expect(sha256HexPure(big)).toBe(createHash('sha256').update(big).digest('hex'));
    const text = 'héllo ✓ 🙂';
    expect(sha256HexPure(utf8(text))).toBe(createHash('sha256').update(text).digest('hex'));
  });
});
