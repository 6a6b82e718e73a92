import { hashingEmbedding } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { DspyError, Embedder, isDspyError, MemoryCache, trackUsage } from '../../src/index.js';

const local = (texts: string[]) => Promise.resolve(hashingEmbedding(texts, { dimensions: 16 }));

async function failure(p: Promise<unknown>): Promise<DspyError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof DspyError)) throw new Error(`expected a DspyError, got ${String(e)}`);
  return e;
}

describe('new Embedder(fn)', () => {
  it('batches calls to the function and keeps the order', async () => {
    const calls: string[][] = [];
    const embedder = new Embedder(
      (texts) => {
        calls.push(texts);
        return texts.map((t) => [t.length, 1]);
      },
      { batchSize: 2 },
    );
    const vectors = await embedder.embed(['a', 'bb', 'ccc']);
    expect(calls).toEqual([['a', 'bb'], ['ccc']]);
    expect(vectors.map((v) => Array.from(v))).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    expect(await embedder.embedOne('dddd')).toEqual(Float32Array.from([4, 1]));
  });

  it('gives [] for no texts and refuses an empty or non-string text, naming it', async () => {
    const embedder = new Embedder(local);
    expect(await embedder.embed([])).toEqual([]);
    const empty = await failure(embedder.embed(['fine', '  ']));
    expect(empty.code).toBe('INPUT_INVALID');
    expect(empty.message).toContain('text 1 is empty');
    const wrong = await failure(embedder.embed(['fine', 3 as unknown as string]));
    expect(wrong.message).toContain('text 1 is number, not a string');
  });

  it('refuses vectors of the wrong count, of different lengths, or holding NaN', async () => {
    const short = await failure(new Embedder(() => [[1]]).embed(['a', 'b']));
    expect(short.code).toBe('LM_SERVER');
    expect(short.message).toContain('expected 2 vectors (one per text), got 1 vectors');
    const ragged = await failure(new Embedder(() => [[1, 2], [3]]).embed(['a', 'b']));
    expect(ragged.message).toContain('vector 1 has 1 dimensions, expected 2');
    const nan = await failure(new Embedder(() => [[1, Number.NaN]]).embed(['a']));
    expect(nan.message).toContain('vector 0 has a non-finite value (NaN) at 1');
    const dims = await failure(new Embedder(local, { dimensions: 8 }).embed(['a']));
    expect(dims.message).toContain('vector 0 has 16 dimensions, expected 8');
    // The length is kept across calls: a later batch of another length is refused.
    let n = 2;
    const drifting = new Embedder((texts) => texts.map(() => new Array<number>(n++).fill(1)));
    await drifting.embed(['a']);
    expect((await failure(drifting.embed(['b']))).message).toContain('has 3 dimensions, expected 2');
  });

  it('counts each request in the trackUsage scope, so maxLMCalls stops an embedding run', async () => {
    const embedder = new Embedder(local, { batchSize: 1, maxConcurrency: 1 });
    const { usage } = await trackUsage(() => embedder.embed(['a', 'b']));
    expect(usage.calls).toBe(2);
    const stopped = await failure(trackUsage(() => embedder.embed(['c', 'd', 'e']), { maxLMCalls: 2 }));
    expect(stopped.code).toBe('BUDGET_EXHAUSTED');
    expect(embedder.stats.texts).toBe(4);
  });

  it('wraps an error of the function, naming it', async () => {
    const e = await failure(
      new Embedder(() => {
        throw new Error('model not loaded');
      }).embed(['a']),
    );
    expect(e.code).toBe('LM_SERVER');
    expect(e.message).toContain('the embedding function failed: model not loaded');
  });

  it('caches by name when given a cache, and refuses a cache without a name', async () => {
    let calls = 0;
    const cache = new MemoryCache(10);
    const counted = (texts: string[]) => {
      calls += 1;
      return local(texts);
    };
    const embedder = new Embedder(counted, { name: 'hash16', cache });
    const [a] = await embedder.embed(['hello world']);
    const [b] = await new Embedder(counted, { name: 'hash16', cache }).embed(['hello world']);
    expect(calls).toBe(1);
    expect(b).toEqual(a);
    expect(() => new Embedder(local, { cache })).toThrow(/a cache needs a name/);
  });
});

describe('new Embedder(model) options', () => {
  const saved = process.env.OPENROUTER_API_KEY;
  afterEach(() => {
    if (saved === undefined) delete process.env.OPENROUTER_API_KEY;
    else process.env.OPENROUTER_API_KEY = saved;
  });

  it('refuses unknown option keys with the nearest known one, and bad numbers', () => {
    let typo: unknown;
    try {
      new Embedder('openai/text-embedding-3-small', { batchsize: 10 } as never);
    } catch (e) {
      typo = e;
    }
    expect(isDspyError(typo, 'LM_CONFIG')).toBe(true);
    expect((typo as Error).message).toContain("'batchsize' (did you mean 'batchSize'?)");
    expect(() => new Embedder('openai/text-embedding-3-small', { maxConcurrency: 0 })).toThrow(
      /maxConcurrency/,
    );
    expect(() => new Embedder(local, { apiKey: 'x' } as never)).toThrow(/unknown option 'apiKey'/);
  });

  it('refuses a provider without embeddings, and an unknown provider naming Embedder', () => {
    expect(() => new Embedder('anthropic/claude-sonnet-4')).toThrow(/has no embeddings endpoint/);
    expect(() => new Embedder('nowhere/model')).toThrow(/new Embedder\('nowhere\/model'\): unknown provider/);
  });

  it('preflight reports a missing key without a request; settings never hold the key', () => {
    delete process.env.OPENROUTER_API_KEY;
    const embedder = new Embedder('openrouter/openai/text-embedding-3-small');
    expect(() => embedder.preflight()).toThrow(/no API key for provider openrouter[\s\S]*OPENROUTER_API_KEY/);
    const keyed = new Embedder('openai/text-embedding-3-small', {
      apiKey: 'sk-secret-value-123',
      dimensions: 256,
    });
    expect(keyed.preflight()).toBeUndefined();
    expect(keyed.settings()).toEqual({ model: 'openai/text-embedding-3-small', dimensions: 256 });
    expect(JSON.stringify(keyed)).not.toContain('sk-secret');
  });
});
