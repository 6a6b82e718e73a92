import { execFileSync, fork } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScriptedLM, startTestServer } from '@dspy-ts/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskCache, LM, MemoryCache, TieredCache, withSettings } from '../../src/index.js';
import { entry, keyOf } from './cache-contract.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../../..');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

function runWriter(dir: string, tag: string): Promise<{ bad: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    let bad = -1;
    const child = fork(join(here, 'helpers/cache-writer.ts'), [dir, tag, '15', '25'], {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.on('message', (m) => {
      bad = (m as { bad: number }).bad;
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ bad, code }));
  });
}

/** Runs a helper in a child process; a child still running after `limitMs` is killed and reported as hung. */
function runChild<M>(
  helper: string,
  args: string[],
  limitMs = 30_000,
): Promise<{ message: M | undefined; code: number | null; hung: boolean }> {
  return new Promise((resolve, reject) => {
    let message: M | undefined;
    let hung = false;
    const child = fork(join(here, 'helpers', helper), args, {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const watchdog = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('message', (m) => {
      message = m as M;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(watchdog);
      resolve({ message, code, hung });
    });
  });
}

describe('DiskCache on a real directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dspy-disk-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes again after its directory was removed behind its back', async () => {
    const cache = new DiskCache(join(dir, 'c'));
    await cache.set(keyOf('a'), entry('a'));
    rmSync(join(dir, 'c'), { recursive: true, force: true });
    expect(await cache.get(keyOf('a'))).toBeUndefined();
    // The same shard as before: the cache believes that directory exists.
    await cache.set(keyOf('a'), entry('a2'));
    expect((await cache.get(keyOf('a')))?.text).toBe('a2');
  });

  it('shards one file per entry and leaves no temporary files', async () => {
    const cache = new DiskCache(dir);
    await cache.set(keyOf('a'), entry('a'));
    const key = keyOf('a');
    expect(files(dir)).toEqual([join(dir, key.slice(0, 2), `${key}.json`)]);
  });

  it('treats truncated, garbage, wrong-key and wrong-shape entries as misses, then rewrites them', async () => {
    const cache = new DiskCache(dir);
    const cases: Record<string, string> = {
      truncated: JSON.stringify({ v: 1, key: keyOf('truncated'), response: entry('t') }).slice(0, 40),
      garbage: '\u0000\u0001 not json at all',
      empty: '',
      wrongKey: JSON.stringify({ v: 1, key: keyOf('other'), response: entry('w') }),
      wrongShape: JSON.stringify({ v: 1, key: keyOf('wrongShape'), response: { text: 1 } }),
      wrongVersion: JSON.stringify({ v: 99, key: keyOf('wrongVersion'), response: entry('v') }),
    };
    for (const [name, content] of Object.entries(cases)) {
      const file = cache.pathOf(keyOf(name));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      expect(await cache.get(keyOf(name)), name).toBeUndefined();
      await cache.set(keyOf(name), entry(name));
      expect((await cache.get(keyOf(name)))?.text, name).toBe(name);
    }
  });

  it('reads only regular files: a FIFO, a directory or a symlink at an entry path is a miss, not a hang', async () => {
    const cache = new DiskCache(join(dir, 'c'));
    const fifo = keyOf('fifo');
    mkdirSync(dirname(cache.pathOf(fifo)), { recursive: true });
    execFileSync('mkfifo', [cache.pathOf(fifo)]);
    // In a child process: a blocking read of a FIFO would hang the whole process.
    const probe = await runChild<{ hit: boolean }>('cache-get.ts', [join(dir, 'c'), fifo]);
    expect(probe).toEqual({ message: { hit: false }, code: 0, hung: false });
    await cache.set(fifo, entry('after the fifo'));
    expect((await cache.get(fifo))?.text).toBe('after the fifo');

    const folder = keyOf('folder');
    mkdirSync(cache.pathOf(folder), { recursive: true });
    expect(await cache.get(folder)).toBeUndefined();

    const linked = keyOf('linked');
    const outside = join(dir, 'outside.json');
    writeFileSync(outside, JSON.stringify({ v: 1, key: linked, response: entry('via a link') }));
    mkdirSync(dirname(cache.pathOf(linked)), { recursive: true });
    symlinkSync(outside, cache.pathOf(linked));
    expect(await cache.get(linked)).toBeUndefined();
  });

  it('an entry file larger than maxEntryBytes is a miss, and a larger entry is not written', async () => {
    const cache = new DiskCache(dir, { maxEntryBytes: 1024 });
    const key = keyOf('big');
    const file = cache.pathOf(key);
    mkdirSync(dirname(file), { recursive: true });
    const doc = JSON.stringify({ v: 1, key, response: entry('big') });
    writeFileSync(file, doc + ' '.repeat(2048)); // valid JSON, 2 kB over the limit
    expect(await cache.get(key)).toBeUndefined();
    writeFileSync(file, doc.padEnd(1024, ' ')); // exactly at the limit
    expect((await cache.get(key))?.text).toBe('big');

    const huge = keyOf('huge');
    await expect(cache.set(huge, entry('x'.repeat(2000)))).rejects.toMatchObject({
      code: 'CACHE_IO',
      message: expect.stringContaining('more than maxEntryBytes (1024)'),
    });
    expect(existsSync(cache.pathOf(huge))).toBe(false);
    expect(files(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(() => new DiskCache(dir, { maxEntryBytes: 0 })).toThrow(
      /maxEntryBytes must be a positive integer/,
    );
  });

  it('clear() while other processes and tasks write never throws, and no write fails', async () => {
    const at = join(dir, 'c');
    const children = Promise.all(
      ['P1', 'P2', 'P3'].map((tag) =>
        runChild<{ count: number; errors: string[] }>('cache-churn.ts', [at, tag, '12'], 90_000),
      ),
    );
    let childrenDone = false;
    void children.finally(() => {
      childrenDone = true;
    });
    const writerErrors: unknown[] = [];
    let stop = false;
    const local = new DiskCache(at);
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let r = 0; !stop; r++) {
        await local.set(keyOf(`local-${w}-${r % 20}`), entry(`${w}:${r}`)).catch((e) => writerErrors.push(e));
      }
    });
    const cache = new DiskCache(at);
    const clearErrors: unknown[] = [];
    for (let n = 0; !childrenDone || n < 50; n++) {
      await cache.clear().catch((e) => clearErrors.push(e));
      await new Promise((r) => setTimeout(r, 20));
    }
    stop = true;
    await Promise.all(writers);
    const results = await children;
    expect(clearErrors).toEqual([]);
    expect(writerErrors).toEqual([]);
    for (const r of results) expect(r).toEqual({ message: { count: 0, errors: [] }, code: 0, hung: false });
    expect(readdirSync(dir).filter((n) => n.endsWith('.clearing'))).toEqual([]);
    await cache.clear();
    expect(existsSync(at)).toBe(false);
    await cache.set(keyOf('after'), entry('after'));
    expect((await cache.get(keyOf('after')))?.text).toBe('after');
  }, 120_000);

  it('survives two processes writing the same keys at once: every entry whole, no temp files', async () => {
    const [a, b] = await Promise.all([runWriter(dir, 'A'), runWriter(dir, 'B')]);
    expect(a).toEqual({ bad: 0, code: 0 });
    expect(b).toEqual({ bad: 0, code: 0 });
    const all = files(dir);
    expect(all.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(all).toHaveLength(25);
    const cache = new DiskCache(dir);
    for (const f of all) {
      const doc = JSON.parse(readFileSync(f, 'utf8')) as { key: string };
      const got = await cache.get(doc.key);
      expect(got?.text).toMatch(/^[AB]:\d+:14:x{2000}$/);
    }
  }, 60_000);

  it('LM over the test server: hits are fresh copies and no cache file holds the API key', async () => {
    const secret = 'sk-never-on-disk-7f3a9c';
    await using server = await startTestServer({
      lm: new ScriptedLM(() => ({ answer: 'Paris' })),
      apiKey: secret,
    });
    const cache = new TieredCache(new MemoryCache(10), new DiskCache(dir));
    const lm = new LM('openai/gpt-4o-mini', { baseURL: server.url, apiKey: secret, cache });
    const messages = [{ role: 'user' as const, content: 'capital of France?' }];
    const first = await lm.call({ messages });
    expect(first.cacheHit).toBe(false);
    (first.choices as string[]).push('mutated by caller');
    const second = await lm.call({ messages });
    expect(second).toMatchObject({ cacheHit: true, cost: 0, usage: { totalTokens: 0 } });
    expect(second.choices).toEqual([first.text]);
    (second.choices as string[])[0] = 'mutated again';
    const fresh = new LM('openai/gpt-4o-mini', {
      baseURL: server.url,
      apiKey: secret,
      cache: new DiskCache(dir),
    });
    const third = await fresh.call({ messages });
    expect(third.cacheHit).toBe(true);
    expect(third.text).toBe(first.text);
    await lm.call({ messages: [{ role: 'user', content: 'another' }], rolloutId: 7 });
    const cached = files(dir);
    expect(cached.length).toBe(2);
    for (const f of cached) expect(readFileSync(f, 'utf8')).not.toContain(secret);
    expect(server.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(2);
  });

  it('a cache that cannot write is logged and never fails the call', async () => {
    await using server = await startTestServer({ lm: new ScriptedLM(() => ({ answer: 'Paris' })) });
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, 'x');
    const warnings: string[] = [];
    const capture = { debug() {}, info() {}, warn: (m: string) => warnings.push(m) };
    const lm = new LM('openai/gpt-4o-mini', {
      baseURL: server.url,
      apiKey: 'k',
      cache: new DiskCache(blocker),
    });
    const r = await withSettings({ logger: capture }, () =>
      lm.call({ messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(r.text).toContain('Paris');
    expect(warnings.join('\n')).toMatch(/CACHE|could not write/);
  });
});
