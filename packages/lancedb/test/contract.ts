/**
 * The checks every retriever passes, whatever stores its vectors: result shape, ordering, the
 * default k, a document finding itself, neighbours by meaning, and searchMany agreeing with search.
 * `make` gets the corpus and returns a retriever over it that uses the given k by default.
 */

import type { Retriever as TextRetriever } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';

/** A small corpus of distinct topics, with a query (worded differently) for each. */
export const CORPUS = [
  'The Eiffel Tower is a wrought-iron lattice tower in Paris, France.',
  'Photosynthesis converts light energy into chemical energy in plants.',
  'The Great Wall of China stretches thousands of kilometres across northern China.',
  'Mount Everest is the highest mountain above sea level, in the Himalayas.',
  'Penguins are flightless seabirds living mostly in the Southern Hemisphere.',
  'The Python programming language emphasises code readability.',
  'Jupiter is the largest planet in the Solar System.',
  'Beethoven composed nine symphonies, the ninth with a choral finale.',
  'The Amazon rainforest covers much of the Amazon basin in South America.',
  'Insulin is a hormone that regulates blood glucose levels.',
];

/** Queries and the index in {@link CORPUS} of the passage each should find first. */
export const QUERIES: readonly (readonly [string, number])[] = [
  ['Which tower stands in Paris?', 0],
  ['How do plants turn light into energy?', 1],
  ['highest mountain in the Himalayas', 3],
  ['flightless seabirds', 4],
  ['largest planet of the solar system', 6],
  ['How many symphonies did Beethoven compose?', 7],
  ['hormone regulating blood glucose', 9],
];

/** Runs the retriever contract against `make`. */
export function retrieverContract(
  name: string,
  make: (corpus: string[], k: number) => Promise<TextRetriever>,
): void {
  describe(`${name}: the retriever contract`, () => {
    it('returns k passages with their scores and ids, best first', async () => {
      const r = await make(CORPUS, 3);
      const res = await r.search(CORPUS[2] as string, 4);
      expect(res.passages).toHaveLength(4);
      expect(res.scores).toHaveLength(4);
      expect(res.ids).toHaveLength(4);
      expect(new Set(res.ids).size).toBe(4);
      for (let i = 1; i < res.scores.length; i++) {
        expect(res.scores[i]).toBeLessThanOrEqual(res.scores[i - 1] as number);
      }
      for (const p of res.passages) expect(CORPUS).toContain(p);
    });

    it('uses its own k when none is given, and all passages when k exceeds the corpus', async () => {
      const r = await make(CORPUS, 3);
      expect((await r.search('planets')).passages).toHaveLength(3);
      expect((await r.search('planets', 50)).passages).toHaveLength(CORPUS.length);
    });

    it('finds a document first by its own text, with a score of 1', async () => {
      const r = await make(CORPUS, 3);
      for (const doc of CORPUS) {
        const res = await r.search(doc, 1);
        expect(res.passages).toEqual([doc]);
        expect(res.scores[0]).toBeCloseTo(1, 4);
      }
    });

    it('finds the passage a differently worded query is about', async () => {
      const r = await make(CORPUS, 3);
      for (const [query, expected] of QUERIES) {
        expect((await r.search(query, 1)).passages, query).toEqual([CORPUS[expected]]);
      }
    });

    it('searchMany answers each query as search does, in order', async () => {
      const r = await make(CORPUS, 2);
      const queries = QUERIES.map(([q]) => q);
      const many = await r.searchMany(queries);
      expect(many).toHaveLength(queries.length);
      for (const [i, q] of queries.entries()) expect(many[i]).toEqual(await r.search(q));
      expect(await r.searchMany([])).toEqual([]);
    });
  });
}
