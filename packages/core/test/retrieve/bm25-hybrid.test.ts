import { describe, expect, it } from 'vitest';
import { BM25Retriever, HybridRetriever, type Retriever, type RetrieverResult } from '../../src/index.js';

describe('BM25Retriever', () => {
  const corpus = ['the cat sat on the mat', 'the dog sat', 'a cat and a cat and a bird', 'fish swim'];

  /** Okapi BM25 written out for one document, as a reference. */
  function reference(query: string[], doc: number, k1 = 1.2, b = 0.75): number {
    const docs = corpus.map((d) => d.split(' '));
    const avg = docs.reduce((s, d) => s + d.length, 0) / docs.length;
    let score = 0;
    for (const term of new Set(query)) {
      const df = docs.filter((d) => d.includes(term)).length;
      if (df === 0) continue;
      const idf = Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
      const words = docs[doc] as string[];
      const tf = words.filter((w) => w === term).length;
      score += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * words.length) / avg));
    }
    return score;
  }

  it('scores as Okapi BM25 and returns only passages sharing a word with the query', async () => {
    const bm25 = new BM25Retriever({ corpus, k: 4 });
    const found = await bm25.search('Cat sat!');
    const expected = [0, 1, 2, 3]
      .map((doc) => ({ doc, s: reference(['cat', 'sat'], doc) }))
      .filter((e) => e.s > 0)
      .sort((a, b) => b.s - a.s);
    expect(expected.map((e) => String(e.doc))).toEqual(['0', '1', '2']);
    expect(found.ids).toEqual(['0', '1', '2']);
    for (const [i, id] of found.ids.entries()) {
      expect(found.scores[i]).toBeCloseTo(reference(['cat', 'sat'], Number(id)), 10);
    }
    expect((await bm25.search('unicorn')).passages).toEqual([]);
  });

  it('honours k1 and b', async () => {
    const flat = new BM25Retriever({ corpus, k1: 2, b: 0 });
    const found = await flat.search('cat');
    expect(found.scores[0]).toBeCloseTo(reference(['cat'], 2, 2, 0), 10);
  });
});

/** A retriever answering a fixed ranking. */
function fixed(ids: string[]): Retriever {
  const result = (k = 5): RetrieverResult => ({
    ids: ids.slice(0, k),
    passages: ids.slice(0, k).map((id) => `passage ${id}`),
    scores: ids.slice(0, k).map((_, i) => 100 - i),
  });
  return {
    k: 5,
    search: async (_q, k) => result(k),
    searchMany: async (qs, k) => qs.map(() => result(k)),
  };
}

describe('HybridRetriever', () => {
  it('fuses ranks by reciprocal-rank fusion', async () => {
    const hybrid = new HybridRetriever([fixed(['a', 'b', 'c']), fixed(['c', 'b', 'd'])], { k: 3, rrfK: 60 });
    const found = await hybrid.search('q');
    // c: 1/63 + 1/61 (0.032266); b: 1/62 + 1/62 (0.032258); a: 1/61; d: 1/63.
    expect(found.ids).toEqual(['c', 'b', 'a']);
    expect(found.scores[0]).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(found.scores[1]).toBeCloseTo(2 / 62, 12);
    expect(found.passages).toEqual(['passage c', 'passage b', 'passage a']);
  });

  it('refuses no retrievers and a negative rrfK', () => {
    expect(() => new HybridRetriever([])).toThrow(/no retrievers to fuse/);
    expect(() => new HybridRetriever([fixed(['a'])], { rrfK: -1 })).toThrow(/rrfK must be a number ≥ 0/);
  });
});
