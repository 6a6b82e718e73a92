import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cache, CachedResponse } from '../../src/index.js';

/** A key shaped like the real ones (SHA-256 hex). */
export function keyOf(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** A cached response for tests. */
export function entry(text: string): CachedResponse {
  return {
    text,
    choices: [text, `${text} (2)`],
    model: 'openai/gpt-4o-mini',
    finishReason: 'stop',
    usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 },
  };
}

/** What every `Cache` must do; `factory` builds an empty cache, `cleanup` removes it. */
export function describeCacheContract(
  name: string,
  factory: () => Cache | Promise<Cache>,
  cleanup?: () => void | Promise<void>,
): void {
  describe(`Cache contract: ${name}`, () => {
    let cache: Cache;
    beforeEach(async () => {
      cache = await factory();
    });
    afterEach(async () => {
      await cleanup?.();
    });

    it('misses on an unknown key', async () => {
      expect(await cache.get(keyOf('nothing'))).toBeUndefined();
    });

    it('returns what was set, equal but not the same object', async () => {
      const value = entry('a');
      await cache.set(keyOf('a'), value);
      const got = await cache.get(keyOf('a'));
      expect(got).toEqual(value);
      expect(got).not.toBe(value);
      expect(got?.choices).not.toBe(value.choices);
    });

    it('is not changed by mutating the stored or the returned object', async () => {
      const value = entry('b');
      await cache.set(keyOf('b'), value);
      (value.choices as string[]).push('after set');
      const got = await cache.get(keyOf('b'));
      if (!got) throw new Error('expected a hit');
      (got.choices as string[]).push('after get');
      (got.usage as { totalTokens: number }).totalTokens = 0;
      const again = await cache.get(keyOf('b'));
      expect(again).toEqual(entry('b'));
    });

    it('replaces an entry on set', async () => {
      await cache.set(keyOf('c'), entry('old'));
      await cache.set(keyOf('c'), entry('new'));
      expect((await cache.get(keyOf('c')))?.text).toBe('new');
    });

    it('deletes one entry and clears all', async () => {
      await cache.set(keyOf('d'), entry('d'));
      await cache.set(keyOf('e'), entry('e'));
      await cache.delete(keyOf('d'));
      expect(await cache.get(keyOf('d'))).toBeUndefined();
      expect((await cache.get(keyOf('e')))?.text).toBe('e');
      await cache.clear();
      expect(await cache.get(keyOf('e'))).toBeUndefined();
    });

    it('keeps concurrent writes of many keys whole', async () => {
      const keys = Array.from({ length: 50 }, (_, i) => keyOf(`k${i}`));
      await Promise.all(keys.map((k, i) => cache.set(k, entry(`v${i}`))));
      const got = await Promise.all(keys.map((k) => cache.get(k)));
      expect(got.map((g) => g?.text)).toEqual(keys.map((_, i) => `v${i}`));
    });
  });
}
