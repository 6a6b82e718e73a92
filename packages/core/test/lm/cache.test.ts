import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configureCache, DiskCache, MemoryCache, TieredCache } from '../../src/index.js';
import { cacheKey, defaultCacheDir, getDefaultCache, resetCacheConfig } from '../../src/internal.js';
import { describeCacheContract, entry, keyOf } from './cache-contract.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'dspy-cache-'));
  dirs.push(d);
  return d;
}
function removeDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

describeCacheContract('MemoryCache', () => new MemoryCache(100));
describeCacheContract('DiskCache', () => new DiskCache(tempDir()), removeDirs);
describeCacheContract(
  'TieredCache',
  () => new TieredCache(new MemoryCache(100), new DiskCache(tempDir())),
  removeDirs,
);

describe('MemoryCache', () => {
  it('evicts the least recently used entry beyond its size', async () => {
    const c = new MemoryCache(2);
    await c.set(keyOf('1'), entry('1'));
    await c.set(keyOf('2'), entry('2'));
    await c.get(keyOf('1'));
    await c.set(keyOf('3'), entry('3'));
    expect(await c.get(keyOf('2'))).toBeUndefined();
    expect((await c.get(keyOf('1')))?.text).toBe('1');
    expect(c.size).toBe(2);
  });

  it('replaces an entry in place at its bound, evicting nothing else', async () => {
    const c = new MemoryCache(2);
    await c.set(keyOf('1'), entry('1'));
    await c.set(keyOf('2'), entry('2'));
    await c.set(keyOf('1'), entry('one'));
    expect(c.size).toBe(2);
    expect((await c.get(keyOf('1')))?.text).toBe('one');
    expect((await c.get(keyOf('2')))?.text).toBe('2');
    // `peek` counts as a use too: 1 is now the least recently used.
    c.peek(keyOf('2'));
    await c.set(keyOf('3'), entry('3'));
    expect(await c.get(keyOf('1'))).toBeUndefined();
  });
});

describe('cacheKey', () => {
  const msgs = [{ role: 'user' as const, content: 'hi' }];
  it('is a SHA-256 hex digest that ignores key order and undefined parameters', () => {
    const a = cacheKey('openai/gpt-4o-mini', msgs, { temperature: 0, maxTokens: 10 });
    const b = cacheKey('openai/gpt-4o-mini', msgs, { maxTokens: 10, temperature: 0, stop: undefined });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toBe(b);
  });
  it('changes with model, messages, parameters, n, response format and rollout id', () => {
    const base = cacheKey('openai/gpt-4o-mini', msgs, {});
    const variants = [
      cacheKey('openai/gpt-4o', msgs, {}),
      cacheKey('openai/gpt-4o-mini', [{ role: 'user', content: 'hi!' }], {}),
      cacheKey('openai/gpt-4o-mini', msgs, { temperature: 1 }),
      cacheKey('openai/gpt-4o-mini', msgs, { n: 3 }),
      cacheKey('openai/gpt-4o-mini', msgs, { responseFormat: { type: 'json_object' } }),
      cacheKey('openai/gpt-4o-mini', msgs, {}, 1),
      cacheKey('openai/gpt-4o-mini', msgs, { extra: { seed: 1 } }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
    expect(cacheKey('openai/gpt-4o-mini', msgs, { n: 1 })).toBe(base);
  });
  it('keeps message boundaries: the same text split differently is a different key', () => {
    const m = 'openai/gpt-4o-mini';
    const one = cacheKey(m, [{ role: 'user', content: 'a\nuser:1:b' }], {});
    const two = cacheKey(
      m,
      [
        { role: 'user', content: 'a' },
        { role: 'user', content: 'b' },
      ],
      {},
    );
    const roles = cacheKey(m, [{ role: 'system', content: 'a' }], {});
    expect(new Set([one, two, roles, cacheKey(m, [{ role: 'user', content: 'a' }], {})]).size).toBe(4);
  });
});

describe('configureCache / defaultCacheDir', () => {
  afterEach(() => {
    resetCacheConfig();
    removeDirs();
  });
  it('reads DSPY_TS_CACHE_DIR, treats empty as "no disk", else uses XDG or ~/.cache', () => {
    expect(defaultCacheDir({ DSPY_TS_CACHE_DIR: '/x/y' })).toBe('/x/y');
    expect(defaultCacheDir({ DSPY_TS_CACHE_DIR: '' })).toBeNull();
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/xdg' })).toBe(join('/xdg', 'dspy-ts'));
    expect(defaultCacheDir({})).toMatch(/\.cache[/\\]dspy-ts$/);
  });
  it('is memory-only under the test config, tiered with a dir, and off when disabled', () => {
    expect(getDefaultCache()).toBeInstanceOf(MemoryCache);
    const dir = tempDir();
    configureCache({ dir });
    expect(getDefaultCache()?.name).toBe(`memory+disk:${dir}`);
    configureCache({ enabled: false });
    expect(getDefaultCache()).toBeUndefined();
  });
});
