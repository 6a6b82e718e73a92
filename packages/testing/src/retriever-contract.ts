import assert from 'node:assert/strict';
import { isDspyError, type Retriever, type RetrieverResult } from '@dspy-ts/core';

/** Makes the retriever under test over `corpus`, returning `k` passages by default. */
export type MakeRetriever = (
  corpus: readonly string[],
  options: { readonly k: number },
) => Retriever | Promise<Retriever>;

/** One check of {@link retrieverContract}: `run` rejects with an assertion error when it fails. */
export interface RetrieverContractCase {
  readonly name: string;
  run(): Promise<void>;
}

/** The corpus of the contract: one topic per passage, every passage with the word "the". */
export const CONTRACT_CORPUS: readonly string[] = Object.freeze([
  'The Eiffel Tower is a wrought-iron lattice tower in Paris, France.',
  'Photosynthesis lets green plants turn sunlight, water and carbon dioxide into sugar for the plant.',
  'The Great Barrier Reef off Australia is the largest coral reef system in the world.',
  'Mount Everest, in the Himalayas, is the highest mountain above sea level.',
  'The Python programming language was created by Guido van Rossum.',
  'Honey bees communicate the location of flowers with a waggle dance.',
  'The Amazon river carries more water than any other river on the planet.',
  'Jupiter is the largest planet of the solar system, a gas giant.',
  'The violin is a string instrument played with a bow.',
  'Penicillin was discovered by Alexander Fleming in the year 1928.',
  'The Sahara is the largest hot desert, spanning the north of Africa.',
  'Chess is a board game for two players on a checkered board of 64 squares.',
]);

const K = 3;

function checkShape(r: RetrieverResult, atMost: number): void {
  assert.ok(Array.isArray(r.passages) && Array.isArray(r.scores) && Array.isArray(r.ids), 'arrays');
  assert.equal(r.scores.length, r.passages.length, 'as many scores as passages');
  assert.equal(r.ids.length, r.passages.length, 'as many ids as passages');
  assert.ok(r.passages.length <= atMost, `at most ${atMost} passages, got ${r.passages.length}`);
  assert.equal(new Set(r.ids).size, r.ids.length, `ids are unique: ${r.ids.join(', ')}`);
  for (const p of r.passages) assert.ok(CONTRACT_CORPUS.includes(p), `a passage of the corpus: ${p}`);
  for (const id of r.ids) assert.equal(typeof id, 'string', 'ids are strings');
  r.scores.forEach((s, i) => {
    assert.ok(Number.isFinite(s), `score ${i} is finite`);
    if (i > 0) assert.ok(s <= (r.scores[i - 1] as number), `scores are best first: ${r.scores.join(', ')}`);
  });
}

async function rejectsInvalid(what: string, run: () => Promise<unknown>): Promise<void> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(
    isDspyError(error, 'INPUT_INVALID'),
    `${what}: expected DspyError INPUT_INVALID, got ${String(error)}`,
  );
}

/**
 * The behaviour every {@link Retriever} must have, as a list of checks to run in any test
 * framework: `make` builds the retriever over {@link CONTRACT_CORPUS}. A passage copied as the
 * query comes first; results are parallel arrays, best first, at most `k` (default `k` when not
 * given), without repeats; an id always names the same passage; `searchMany` equals `search`
 * of each query; a `k` that is not a positive integer or an empty query is `INPUT_INVALID`.
 *
 * @example
 * ```ts
 * describe('my retriever', () => {
 *   for (const c of retrieverContract((corpus, { k }) => new BM25Retriever({ corpus, k }))) it(c.name, c.run);
 * });
 * ```
 */
export function retrieverContract(make: MakeRetriever): RetrieverContractCase[] {
  const build = () => Promise.resolve(make(CONTRACT_CORPUS, { k: K }));
  const cases: [string, () => Promise<void>][] = [
    [
      'a passage copied as the query comes first',
      async () => {
        const r = await build();
        for (const i of [0, 4, 9]) {
          const passage = CONTRACT_CORPUS[i] as string;
          const found = await r.search(passage);
          checkShape(found, K);
          assert.equal(found.passages[0], passage);
        }
      },
    ],
    [
      'returns its own k when not told, and the k asked for',
      async () => {
        const r = await build();
        assert.equal(r.k, K);
        const query = 'the largest river, planet or desert of the world';
        checkShape(await r.search(query), K);
        assert.equal((await r.search(query)).passages.length, K);
        assert.equal((await r.search(query, 1)).passages.length, 1);
        assert.equal((await r.search(query, 5)).passages.length, 5);
      },
    ],
    [
      'a k beyond the corpus gives each passage at most once',
      async () => {
        const r = await build();
        const found = await r.search('the', 100);
        checkShape(found, CONTRACT_CORPUS.length);
        assert.ok(found.passages.length >= 1, 'finds something for a word of every passage');
      },
    ],
    [
      'an id always names the same passage',
      async () => {
        const r = await build();
        const named = new Map<string, string>();
        for (const q of [
          'largest planet',
          'the river and the desert',
          'the tower in Paris',
          'a board game',
        ]) {
          const found = await r.search(q, 5);
          found.ids.forEach((id, i) => {
            const passage = found.passages[i] as string;
            assert.equal(named.get(id) ?? passage, passage, `id ${id}`);
            named.set(id, passage);
          });
        }
      },
    ],
    [
      'searchMany equals search of each query, in order',
      async () => {
        const r = await build();
        const queries = ['coral reef in Australia', 'who discovered penicillin', 'the highest mountain'];
        const many = await r.searchMany(queries, 2);
        assert.equal(many.length, queries.length);
        for (let i = 0; i < queries.length; i++) {
          const one = await r.search(queries[i] as string, 2);
          assert.deepEqual(many[i]?.ids, one.ids);
          assert.deepEqual(many[i]?.passages, one.passages);
        }
        assert.deepEqual(await r.searchMany([]), []);
      },
    ],
    [
      'refuses a k that is not a positive integer and an empty query',
      async () => {
        const r = await build();
        for (const k of [0, -1, 1.5, Number.NaN])
          await rejectsInvalid(`k = ${k}`, () => r.search('the tower', k));
        await rejectsInvalid('an empty query', () => r.search('  '));
        await rejectsInvalid('an empty query in searchMany', () => r.searchMany(['the tower', '']));
      },
    ],
  ];
  return cases.map(([name, run]) => ({ name, run }));
}
