import { describe, expect, it } from 'vitest';
import { CORPUS } from './contract.js';
import { exactTopK, hashedNgrams, recording, seededVector } from './embedders.js';
import { tempRetrievers } from './temp.js';

const temp = tempRetrievers();

/** A corpus of generated sentences, so the n-gram embedder gives many near ties to sort out. */
function sentences(n: number): string[] {
  const subjects = ['river', 'castle', 'engine', 'violin', 'glacier', 'market', 'comet', 'forest'];
  const verbs = ['crosses', 'guards', 'powers', 'accompanies', 'carves', 'feeds', 'lights', 'shelters'];
  const objects = [
    'the valley',
    'a city',
    'the train',
    'an orchestra',
    'the fjord',
    'villagers',
    'the sky',
    'wolves',
  ];
  return Array.from(
    { length: n },
    (_, i) =>
      `The ${subjects[i % 8]} ${verbs[Math.floor(i / 8) % 8]} ${objects[Math.floor(i / 64) % 8]} number ${i}.`,
  );
}

describe('LanceRetriever search', () => {
  it('agrees with a brute-force exact search over the same vectors (top-k ids and scores)', async () => {
    const corpus = sentences(300);
    const embedder = recording((t) => hashedNgrams(t));
    const r = temp.open({ uri: await temp.dir(), table: 'docs', embedder });
    await r.add(corpus);
    const docs = corpus.map((text, i) => ({ id: String(i), vector: hashedNgrams(text) }));
    const queries = ['the comet lights the sky', 'violin number 17', 'a glacier carving the fjord', 'wolves'];
    for (const q of queries) {
      const got = await r.search(q, 10);
      const want = exactTopK(hashedNgrams(q), docs, 10);
      expect(
        got.scores.map((s) => s.toFixed(4)),
        q,
      ).toEqual(want.map((w) => w.score.toFixed(4)));
      // Ties may come in either order: compare the passages at each distinct score.
      const wantTexts = want.map((w) => corpus[Number(w.id)]);
      const boundary = want.at(-1)?.score as number;
      const strict = (texts: (string | undefined)[], scores: number[]) =>
        texts.filter((_, i) => (scores[i] as number) > boundary + 1e-5).sort();
      expect(strict(got.passages, got.scores)).toEqual(
        strict(
          wantTexts,
          want.map((w) => w.score),
        ),
      );
    }
  });

  it('builds an IVF-PQ index at the threshold and still finds the exact top-10 (recall ≥ 0.9)', async () => {
    const dimension = 64;
    const texts = Array.from({ length: 2000 }, (_, i) => `doc ${i}`);
    const embedder = recording((t) => seededVector(t, dimension));
    const r = temp.open({ uri: await temp.dir(), table: 'big', embedder, index: { threshold: 1000 } });
    await r.add(texts.slice(0, 900));
    expect((await r.stats()).index).toBeUndefined();
    await r.add(texts.slice(900));
    const stats = await r.stats();
    expect(stats).toMatchObject({
      rows: 2000,
      dimension,
      index: { type: 'IVF_PQ', indexedRows: 2000, unindexedRows: 0 },
    });

    const docs = texts.map((t) => ({ id: t, vector: seededVector(t, dimension) }));
    let hits = 0;
    const queries = Array.from({ length: 20 }, (_, i) => `query ${i}`);
    const results = await r.searchMany(queries, 10);
    for (const [i, q] of queries.entries()) {
      const want = new Set(exactTopK(seededVector(q, dimension), docs, 10).map((d) => d.id));
      hits += (results[i]?.passages ?? []).filter((p) => want.has(p)).length;
    }
    expect(hits / (queries.length * 10)).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  it('searches rows added after the index was built, and folds them in once they are many', async () => {
    const dimension = 32;
    const embedder = recording((t) => seededVector(t, dimension));
    const r = temp.open({ uri: await temp.dir(), table: 'grow', embedder, index: { threshold: 1000 } });
    await r.add(Array.from({ length: 1000 }, (_, i) => `doc ${i}`));
    await r.add(['a late arrival']);
    expect((await r.stats()).index).toMatchObject({ indexedRows: 1000, unindexedRows: 1 });
    expect((await r.search('a late arrival', 1)).passages).toEqual(['a late arrival']);
    await r.add(Array.from({ length: 150 }, (_, i) => `later ${i}`));
    expect((await r.stats()).index).toMatchObject({ indexedRows: 1151, unindexedRows: 0 });
  }, 120_000);
});

describe('LanceRetriever add', () => {
  it('embeds only documents not stored yet, by content hash', async () => {
    const embedder = recording(hashedNgrams);
    const r = temp.open({ uri: await temp.dir(), table: 'docs', embedder });
    expect(await r.add(CORPUS.slice(0, 4))).toEqual({ added: 4, updated: 0, unchanged: 0 });
    expect(await r.add([...CORPUS.slice(0, 5), CORPUS[0] as string])).toEqual({
      added: 1,
      updated: 0,
      unchanged: 4,
    });
    expect(embedder.calls).toEqual([CORPUS.slice(0, 4), [CORPUS[4]]]);
    expect(await r.count()).toBe(5);
  });

  it('with ids, re-embeds a document whose text changed and keeps the others', async () => {
    const embedder = recording(hashedNgrams);
    const r = temp.open({ uri: await temp.dir(), table: 'docs', embedder });
    await r.add(['Paris is in France.', "O'Hare is an airport in Chicago."], ['paris', "o'hare"]);
    const result = await r.add(
      ['Paris is the capital of France.', "O'Hare is an airport in Chicago."],
      ['paris', "o'hare"],
    );
    expect(result).toEqual({ added: 0, updated: 1, unchanged: 1 });
    expect(embedder.calls.at(-1)).toEqual(['Paris is the capital of France.']);
    expect(await r.count()).toBe(2);
    const hit = await r.search('capital of France', 1);
    expect(hit).toMatchObject({ passages: ['Paris is the capital of France.'], ids: ['paris'] });
  });

  it('reopens from disk: a new retriever on the same directory searches without re-embedding', async () => {
    const uri = await temp.dir();
    const first = temp.open({ uri, table: 'docs', embedder: recording(hashedNgrams) });
    await first.add(CORPUS);
    const before = await first.search('largest planet', 3);
    await first.close();

    const embedder = recording(hashedNgrams);
    const again = temp.open({ uri: `file://${uri}`, table: 'docs', embedder });
    expect(await again.count()).toBe(CORPUS.length);
    expect(await again.search('largest planet', 3)).toEqual(before);
    expect(await again.add(CORPUS)).toEqual({ added: 0, updated: 0, unchanged: CORPUS.length });
    expect(embedder.calls).toEqual([['largest planet']]);
  });

  it('writes concurrent adds one after another without embedding a document twice', async () => {
    const embedder = recording(hashedNgrams);
    const r = temp.open({ uri: await temp.dir(), table: 'docs', embedder });
    const results = await Promise.all([r.add(CORPUS), r.add(CORPUS), r.add(CORPUS.slice(0, 3))]);
    expect(results.map((x) => x.added)).toEqual([CORPUS.length, 0, 0]);
    expect(embedder.calls.flat()).toHaveLength(CORPUS.length);
    expect(await r.count()).toBe(CORPUS.length);
  });
});
