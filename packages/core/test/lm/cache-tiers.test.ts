import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScriptedLM, startTestServer } from '@dspy-ts/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Each test imports core's modules afresh (as the web entry loads them: no tier registered), so
// that the disk and Redis tiers are loaded only by what the test does.
type Config = typeof import('../../src/lm/cache/config.js');
type LMModule = typeof import('../../src/lm/lm.js');

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'dspy-tiers-'));
  dirs.push(d);
  return d;
}

let config: Config;
beforeEach(async () => {
  vi.resetModules();
  config = await import('../../src/lm/cache/config.js');
});
afterEach(() => {
  config.resetCacheConfig();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the disk and Redis tiers of the default cache, loaded on first need', () => {
  it('a memory-only default cache needs no tier', () => {
    expect(config.getDefaultCache()?.name).toBe('memory');
  });

  it('getDefaultCache says to await loadCacheTiers() while a configured tier is not loaded; defaultCache loads it', async () => {
    const dir = tempDir();
    config.configureCache({ dir });
    expect(() => config.getDefaultCache()).toThrow(/tiers are not loaded yet[\s\S]*await loadCacheTiers\(\)/);
    const cache = await config.defaultCache();
    expect(cache?.name).toBe(`memory+disk:${dir}`);
    expect(config.getDefaultCache()).toBe(cache);
  });

  it('configureCache checks Redis options at once, without loading the tier', () => {
    expect(() => config.configureCache({ redis: { url: '' } })).toThrow('RedisCache: the url is empty');
    expect(() => config.configureCache({ redis: { url: 'redis://x', ttlSeconds: 0 } })).toThrow(
      'RedisCache: ttlSeconds must be a positive integer, got 0',
    );
  });

  it('an LM loads the disk tier itself when configureCache asks for one, and writes through it', async () => {
    const { LM } = (await import('../../src/lm/lm.js')) as LMModule;
    await using server = await startTestServer({ lm: new ScriptedLM(() => ({ answer: 'Paris' })) });
    const dir = tempDir();
    config.configureCache({ dir });
    const lm = new LM('m', { baseURL: server.url, apiKey: 'k' });
    const first = await lm.call({ messages: [{ role: 'user', content: 'capital of France?' }] });
    expect(first.cacheHit).toBe(false);
    expect(readdirSync(dir).length).toBeGreaterThan(0);
    // A fresh memory layer over the same directory: answered from disk.
    config.configureCache({ dir, memoryEntries: 5 });
    const second = await new LM('m', { baseURL: server.url, apiKey: 'k' }).call({
      messages: [{ role: 'user', content: 'capital of France?' }],
    });
    expect(second).toMatchObject({ cacheHit: true, text: first.text });
  });
});
