import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { LanceRetriever, type LanceRetrieverOptions } from '../src/index.js';

/**
 * A fresh temp directory per test and a factory of retrievers in it; every retriever made is
 * closed and every directory removed after the test.
 */
export function tempRetrievers(): {
  dir: () => Promise<string>;
  open: (options: LanceRetrieverOptions) => LanceRetriever;
} {
  const dirs: string[] = [];
  const opened: LanceRetriever[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((r) => r.close()));
  });
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });
  return {
    async dir() {
      const d = await mkdtemp(join(tmpdir(), 'dspy-lancedb-'));
      dirs.push(d);
      return d;
    },
    open(options) {
      const r = new LanceRetriever(options);
      opened.push(r);
      return r;
    },
  };
}
