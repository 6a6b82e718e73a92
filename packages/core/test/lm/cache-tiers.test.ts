// The default cache's disk and Redis layers on the web entry: registered by the server entry and
// by configureCache; without them a cache that needs a disk directory fails saying what to call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

type Config = typeof import('../../src/lm/cache/config.js');

/** A fresh copy of the cache configuration, as the web entry has it: no layers registered. */
async function webConfig(): Promise<Config> {
  vi.resetModules();
  return import('../../src/lm/cache/config.js');
}

const dirs: string[] = [];
const savedDir = process.env.DSPY_TS_CACHE_DIR;
afterEach(() => {
  process.env.DSPY_TS_CACHE_DIR = savedDir;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'dspy-tiers-'));
  dirs.push(d);
  return d;
}

describe('the default cache without registered layers (web entry)', () => {
  it('is the memory cache when no disk directory is found', async () => {
    process.env.DSPY_TS_CACHE_DIR = '';
    const config = await webConfig();
    expect(config.getDefaultCache()?.name).toBe('memory');
  });

  it('is the memory cache even where a disk directory would be found, until configureCache is called', async () => {
    process.env.DSPY_TS_CACHE_DIR = tempDir();
    const config = await webConfig();
    expect(config.getDefaultCache()?.name).toBe('memory');
  });

  it('has its disk layer once configureCache was called', async () => {
    const dir = tempDir();
    const config = await webConfig();
    config.configureCache({ dir });
    const cache = config.getDefaultCache();
    expect(cache?.name).toMatch(/^memory\+disk/);
    const key = 'a'.repeat(64);
    const entry = {
      text: 'hi',
      choices: ['hi'],
      model: 'm/m',
      finishReason: 'stop' as const,
      usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
    };
    await cache?.set(key, entry);
    expect((await cache?.get(key))?.text).toBe('hi');
    config.resetCacheConfig();
  });
});
