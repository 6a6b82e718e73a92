import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashingEmbedding } from '@dspy-ts/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DspyError, Embedder, Embeddings, isDspyError } from '../../src/index.js';

/** A seeded pseudo-random vector per text, so the index is checked on vectors with no structure. */
function randomVector(text: string, dims: number): number[] {
  let seed = 0;
  for (let i = 0; i < text.length; i++) seed = (Math.imul(seed, 31) + text.charCodeAt(i)) | 0;
  const out: number[] = [];
  for (let i = 0; i < dims; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) | 0;
    out.push(((seed >>> 8) / 2 ** 24) * 2 - 1);
  }
  return out;
}

const randomEmbedder = (dims = 24, name = 'random') =>
  new Embedder((texts) => texts.map((t) => randomVector(t, dims)), { name });

async function failure(p: Promise<unknown>): Promise<DspyError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof DspyError)) throw new Error(`expected a DspyError, got ${String(e)}`);
  return e;
}

function unit(v: readonly number[]): number[] {
  const n = Math.hypot(...v);
  return v.map((x) => Math.fround(x / n));
}

describe('Embeddings: exact search', () => {
  it('returns the same top k as a brute-force sort by cosine similarity', async () => {
    const corpus = Array.from({ length: 700 }, (_, i) => `document ${i}`);
    const index = new Embeddings({ corpus, embedder: randomEmbedder(), k: 10 });
    const rows = corpus.map((t) => unit(randomVector(t, 24)));
    for (const query of ['query one', 'query two', 'another query']) {
      const q = unit(randomVector(query, 24));
      const expected = rows
        .map((row, i) => ({ i, s: row.reduce((sum, x, j) => sum + x * (q[j] as number), 0) }))
        .sort((a, b) => b.s - a.s || a.i - b.i)
        .slice(0, 10);
      const found = await index.search(query);
      expect(found.ids).toEqual(expected.map((e) => String(e.i)));
      expect(found.passages).toEqual(expected.map((e) => corpus[e.i]));
      for (const [j, s] of found.scores.entries()) expect(s).toBeCloseTo(expected[j]?.s ?? Number.NaN, 5);
    }
    expect(index.size).toBe(700);
    expect(index.dimensions).toBe(24);
  });

  it('finds passages by shared words with the hashing embedding, and keeps given ids', async () => {
    const embedder = new Embedder((texts) => hashingEmbedding(texts));
    const index = new Embeddings({
      corpus: ['Paris is the capital of France.', 'Berlin is the capital of Germany.', 'Bees make honey.'],
      ids: ['fr', 'de', 'bee'],
      embedder,
      k: 2,
    });
    const found = await index.search('What is the capital of Germany?');
    expect(found.ids).toEqual(['de', 'fr']);
    expect(found.scores[0]).toBeGreaterThan(found.scores[1] as number);
  });

  it('add embeds only passages not in the index yet (by text, or by id)', async () => {
    const seen: string[][] = [];
    const embedder = new Embedder((texts) => {
      seen.push(texts);
      return hashingEmbedding(texts, { dimensions: 32 });
    });
    const index = new Embeddings({ corpus: ['alpha', 'beta'], embedder });
    expect(await index.add(['beta', 'gamma', 'alpha', 'delta'])).toBe(2);
    expect(seen).toEqual([
      ['alpha', 'beta'],
      ['gamma', 'delta'],
    ]);
    expect(await index.add(['gamma'])).toBe(0);
    expect(seen).toHaveLength(2);
    expect(await index.add(['epsilon', 'zeta'], ['e', '1'])).toBe(1);
    expect(seen.at(-1)).toEqual(['epsilon']);
    expect(index.size).toBe(5);
    const found = await index.search('gamma', 1);
    expect(found).toMatchObject({ passages: ['gamma'], ids: ['2'] });
    expect((await index.search('epsilon', 1)).ids).toEqual(['e']);
    const dup = await failure(index.add(['eta', 'theta'], ['x', 'x']));
    expect(dup.message).toContain("id 'x' is used twice");
  });

  it('reports a failure to embed the corpus at ready() and at search, not as an unhandled rejection', async () => {
    const index = new Embeddings({ corpus: ['ok', ''], embedder: randomEmbedder() });
    expect((await failure(index.ready())).code).toBe('INPUT_INVALID');
    expect((await failure(index.search('anything'))).message).toContain('text 1 is empty');
  });

  it('refuses a query of another length than the index', async () => {
    let dims = 8;
    const index = new Embeddings({
      corpus: ['a', 'b'],
      embedder: new Embedder((texts) => texts.map(() => new Array<number>(dims).fill(1))),
    });
    await index.ready();
    dims = 9;
    const e = await failure(index.search('query'));
    // The embedder itself refuses a length that changes between calls.
    expect(e.message).toContain('vector 0 has 9 dimensions, expected 8');
  });
});

describe('Embeddings: save and load', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dspy-ts-embeddings-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips vectors, passages, ids and k; the meta names the model and never a key', async () => {
    const corpus = Array.from({ length: 50 }, (_, i) => `passage number ${i}`);
    const index = new Embeddings({ corpus, embedder: randomEmbedder(16), k: 4 });
    await index.save(dir);
    const loaded = await Embeddings.load(dir, { embedder: randomEmbedder(16) });
    expect(loaded.k).toBe(4);
    expect(loaded.data()).toEqual(index.data());
    expect(await loaded.search('some query')).toEqual(await index.search('some query'));
    const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as Record<string, unknown>;
    expect(meta).toMatchObject({ model: 'random', dimensions: 16, count: 50, k: 4 });
    expect((await readFile(join(dir, 'vectors.f32'))).length).toBe(50 * 16 * 4);
    // Loaded indexes grow as built ones do.
    expect(await loaded.add(['passage number 3', 'a new passage'])).toBe(1);
    expect(loaded.size).toBe(51);
  });

  it('never writes the API key of a model embedder', async () => {
    const embedder = new Embedder('openai/text-embedding-3-small', {
      apiKey: 'sk-never-saved-123456',
      cache: false,
    });
    const index = new Embeddings({ corpus: [], embedder });
    await index.save(dir);
    expect(await readFile(join(dir, 'meta.json'), 'utf8')).not.toContain('sk-never-saved');
  });

  it('refuses another model, other dimensions, and files that do not agree', async () => {
    await new Embeddings({ corpus: ['a b', 'c d'], embedder: randomEmbedder(8) }).save(dir);
    const other = await failure(Embeddings.load(dir, { embedder: randomEmbedder(8, 'other-model') }));
    expect(other.code).toBe('ARTIFACT_MISMATCH');
    expect(other.message).toContain('built with random, the embedder is other-model');
    const dims = new Embedder((t) => t.map(() => [1, 2]), { name: 'random', dimensions: 2 });
    expect((await failure(Embeddings.load(dir, { embedder: dims }))).message).toContain(
      'the index has 8 dimensions, the embedder asks for 2',
    );
    await truncate(join(dir, 'vectors.f32'), 10);
    const cut = await failure(Embeddings.load(dir, { embedder: randomEmbedder(8) }));
    expect(cut.code).toBe('ARTIFACT_INVALID');
    expect(cut.message).toContain('holds 10 bytes, not 2 × 8 float32');
    await writeFile(join(dir, 'meta.json'), '{ not json');
    expect((await failure(Embeddings.load(dir, { embedder: randomEmbedder(8) }))).code).toBe(
      'ARTIFACT_INVALID',
    );
    const missing = await failure(Embeddings.load(join(dir, 'nowhere'), { embedder: randomEmbedder(8) }));
    expect(isDspyError(missing, 'ARTIFACT_IO')).toBe(true);
  });
});
