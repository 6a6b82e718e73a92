import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DspyError } from '@dspy-ts/core';
import { connect } from '@lancedb/lancedb';
import { describe, expect, it } from 'vitest';
import { LanceRetriever, type LanceRetrieverOptions } from '../src/index.js';
import { CORPUS } from './contract.js';
import { hashedNgrams, recording } from './embedders.js';
import { tempRetrievers } from './temp.js';

const temp = tempRetrievers();

/** The DspyError `fn` throws or rejects with. */
async function failure(fn: () => unknown): Promise<DspyError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DspyError);
    return err as DspyError;
  }
  throw new Error('expected a DspyError, but nothing was thrown');
}

describe('LanceRetriever errors', () => {
  it('a dimension mismatch between the table and the embedder, on add and on search', async () => {
    const uri = await temp.dir();
    await temp.open({ uri, table: 'docs', embedder: recording((t) => hashedNgrams(t, 256)) }).add(CORPUS);
    const other = temp.open({ uri, table: 'docs', embedder: recording((t) => hashedNgrams(t, 128)) });
    for (const attempt of [() => other.add(['a new document']), () => other.search('planets')]) {
      const err = await failure(attempt);
      expect(err.code).toBe('OPTION_INVALID');
      expect(err.message).toMatch(
        /dimension mismatch: the embedder returned a 128-dim vector .* the table has 256/,
      );
      expect(err.details).toMatchObject({ expected: 256, actual: 128, where: `LanceRetriever(${uri}#docs)` });
      expect(err.details.fix).toMatch(/embedder its table was built with/);
    }
    expect(await other.count()).toBe(CORPUS.length);
  });

  it('vectors of different dimensions within one batch', async () => {
    let n = 0;
    const embedder = {
      embed: async (texts: string[]) => texts.map((t) => hashedNgrams(t, n++ === 0 ? 64 : 32)),
    };
    const r = temp.open({ uri: await temp.dir(), table: 'docs', embedder });
    const err = await failure(() => r.add(['one', 'two']));
    expect(err.code).toBe('OPTION_INVALID');
    expect(err.message).toMatch(/32-dim vector .* the first vector of the batch has 64/);
    expect(await r.count()).toBe(0);
  });

  it('a missing table: search names it and the tables there', async () => {
    const uri = await temp.dir();
    await temp.open({ uri, table: 'passages', embedder: recording(hashedNgrams) }).add(CORPUS.slice(0, 2));
    const r = temp.open({ uri, table: 'pasages', embedder: recording(hashedNgrams) });
    const err = await failure(() => r.search('planets'));
    expect(err.code).toBe('OPTION_INVALID');
    expect(err.message).toContain(`table 'pasages' does not exist in ${uri} (its tables: passages)`);
    expect(err.details.fix).toMatch(/add\(texts\) first/);
    expect(await r.count()).toBe(0);
  });

  it('a uri that is a file, another scheme, or empty', async () => {
    const file = join(await temp.dir(), 'not-a-dir');
    await writeFile(file, 'x');
    const base = { table: 'docs', embedder: recording(hashedNgrams) };
    for (const [uri, reason] of [
      [file, /which is a file, not a directory/],
      [`file://${file}`, /which is a file, not a directory/],
      ['s3://bucket/lance', /not a local directory/],
      ['', /non-empty directory path/],
    ] as const) {
      const err = await failure(() => new LanceRetriever({ ...base, uri }));
      expect(err.code, uri).toBe('OPTION_INVALID');
      expect(err.message, uri).toMatch(reason);
      expect(err.details.fix).toMatch(/directory path/);
    }
  });

  it('a table LanceRetriever did not write', async () => {
    const uri = await temp.dir();
    const db = await connect(uri);
    await db.createTable('other', [{ name: 'x', vector: [1, 2, 3] }]);
    db.close();
    const r = temp.open({ uri, table: 'other', embedder: recording(hashedNgrams) });
    const err = await failure(() => r.search('x'));
    expect(err.code).toBe('OPTION_INVALID');
    expect(err.message).toContain("table 'other' has columns name, vector");
  });

  it('bad options and arguments', async () => {
    const uri = await temp.dir();
    const embedder = recording(hashedNgrams);
    const bad: [Partial<LanceRetrieverOptions> & Record<string, unknown>, RegExp][] = [
      [{ table: 'docs', embeder: embedder }, /unknown option 'embeder' \(did you mean 'embedder'\?\)/],
      [{ table: 'my table', embedder }, /table is "my table"/],
      [{ table: 'docs', embedder: {} as never }, /embedder has no embed\(texts\) method/],
      [{ table: 'docs', embedder, k: 0 }, /k is 0; it must be an integer ≥ 1/],
      [{ table: 'docs', embedder, index: { threshold: 10 } }, /index.threshold is 10/],
    ];
    for (const [options, message] of bad) {
      const err = await failure(() => new LanceRetriever({ uri, ...options } as LanceRetrieverOptions));
      expect(err.code).toBe('OPTION_INVALID');
      expect(err.message).toMatch(message);
    }
    const r = temp.open({ uri, table: 'docs', embedder });
    await r.add(CORPUS.slice(0, 2));
    expect((await failure(() => r.search('x', 1.5))).code).toBe('INPUT_INVALID');
    // A bad argument rejects the returned promise (add never throws synchronously).
    const rejected = r.add(['a', 'b'], ['same', 'same']);
    await expect(rejected).rejects.toBeInstanceOf(DspyError);
    const ids = await failure(() => rejected);
    expect(ids.code).toBe('INPUT_INVALID');
    expect(ids.message).toContain("id 'same' appears twice");
    expect((await failure(() => r.add(['a', 'b'], ['one']))).message).toContain(
      'ids has 1 entries for 2 texts',
    );
  });

  it('an embedder that returns the wrong number of vectors, or throws', async () => {
    const short = { embed: async (texts: string[]) => texts.slice(1).map((t) => hashedNgrams(t)) };
    const r = temp.open({ uri: await temp.dir(), table: 'docs', embedder: short });
    const err = await failure(() => r.add(['one', 'two']));
    expect(err.message).toContain('the embedder returned 1 vectors for 2 documents');
    const throwing = {
      embed: async () => {
        throw new Error('quota exceeded');
      },
    };
    const t = temp.open({ uri: await temp.dir(), table: 'docs', embedder: throwing });
    const thrown = await failure(() => t.add(['one']));
    expect(thrown.message).toMatch(/embedding 1 texts \(the embedder threw\): quota exceeded/);
    expect(thrown.cause).toBeInstanceOf(Error);
  });

  it('use after close', async () => {
    const r = new LanceRetriever({ uri: await temp.dir(), table: 'docs', embedder: recording(hashedNgrams) });
    await r.add(CORPUS.slice(0, 2));
    await r.close();
    await r.close();
    const err = await failure(() => r.search('x'));
    expect(err.message).toContain('the retriever is closed');
  });
});
