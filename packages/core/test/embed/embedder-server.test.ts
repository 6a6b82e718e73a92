import { hashingEmbedding, startTestServer, type TestServer } from '@dspy-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configureCache,
  Embedder,
  type EmbedderOptions,
  isDspyError,
  MemoryCache,
  trackUsage,
} from '../../src/index.js';
import { resetCacheConfig } from '../../src/internal.js';

let server: TestServer;
let slow: TestServer;
const embeddingRequests = (s: TestServer) => s.requests.filter((r) => r.path === '/v1/embeddings');

beforeAll(async () => {
  server = await startTestServer({});
  slow = await startTestServer({ latencyMs: 20 });
});
afterAll(async () => {
  await server.close();
  await slow.close();
});

const make = (opts: EmbedderOptions = {}, s = server) =>
  new Embedder('openai/text-embedding-3-small', { baseURL: s.url, apiKey: 'k', cache: false, ...opts });

const texts = [
  'the cat sat on the mat',
  'a dog ran in the park',
  'cats sit on mats',
  'rain in Spain',
  'Paris',
];

describe('Embedder over the openai client and the test server', () => {
  it('batches by batchSize, keeps the order, and gives the server vectors as Float32Arrays', async () => {
    const embedder = make({ batchSize: 2 });
    const before = embeddingRequests(server).length;
    const vectors = await embedder.embed(texts);
    const sent = embeddingRequests(server).slice(before);
    expect(sent.map((r) => (r.body as { input: string[] }).input.length)).toEqual([2, 2, 1]);
    expect(vectors.every((v) => v instanceof Float32Array && v.length === 384)).toBe(true);
    expect(vectors).toEqual(hashingEmbedding(texts));
    expect(embedder.stats).toMatchObject({ requests: 3, texts: 5, failures: 0 });
    expect(embedder.usage.promptTokens).toBeGreaterThan(0);
    expect(embedder.usage.cost).toBeGreaterThan(0);
  });

  it('keeps at most maxConcurrency requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const embedder = make(
      {
        batchSize: 1,
        maxConcurrency: 3,
        fetch: async (input, init) => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          try {
            return await fetch(input, init);
          } finally {
            inFlight -= 1;
          }
        },
      },
      slow,
    );
    const many = Array.from({ length: 12 }, (_, i) => `text number ${i}`);
    const vectors = await embedder.embed(many);
    expect(peak).toBe(3);
    expect(vectors).toEqual(hashingEmbedding(many));
  });

  it('caches each text by model, dimensions and text: a hit sends nothing and costs nothing', async () => {
    const cache = new MemoryCache(100);
    const embedder = make({ cache });
    const first = await embedder.embed(['alpha beta', 'gamma delta']);
    const costAfterFirst = embedder.usage.cost;
    const before = embeddingRequests(server).length;
    const { result, usage } = await trackUsage(() => embedder.embed(['gamma delta', 'alpha beta']));
    expect(embeddingRequests(server).length).toBe(before);
    expect(result).toEqual([first[1], first[0]]);
    expect(usage.cost).toBe(0);
    expect(embedder.usage).toMatchObject({ cacheHits: 2, cost: costAfterFirst });
    // Another length is another key: sent again.
    const short = make({ cache, dimensions: 32 });
    const [v] = await short.embed(['alpha beta']);
    expect(v).toHaveLength(32);
    expect(embeddingRequests(server).length).toBe(before + 1);
  });

  it('with cache: true uses the process-wide cache as configured at each call', async () => {
    const embedder = make({ cache: true });
    try {
      configureCache({ enabled: false });
      const before = embeddingRequests(server).length;
      await embedder.embed(['configured later']);
      await embedder.embed(['configured later']);
      expect(embeddingRequests(server).length - before).toBe(2);
      configureCache({ enabled: true, dir: null });
      await embedder.embed(['configured later']);
      await embedder.embed(['configured later']);
      expect(embeddingRequests(server).length - before).toBe(3);
    } finally {
      resetCacheConfig();
    }
  });

  it('sends repeated texts once and sends dimensions to the endpoint', async () => {
    const embedder = make({ dimensions: 64 });
    const before = embeddingRequests(server).length;
    const [a, b] = await embedder.embed(['same text', 'same text']);
    const sent = embeddingRequests(server).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toMatchObject({
      input: ['same text'],
      dimensions: 64,
      model: 'text-embedding-3-small',
    });
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    expect(a).toHaveLength(64);
  });

  it('maps a refused key (401) to LM_AUTH without the key, and sends nothing after it', async () => {
    const guarded = await startTestServer({ apiKey: 'right-key' });
    try {
      const embedder = make({ apiKey: 'sk-wrong-secret-1234' }, guarded);
      const error = await embedder.embed(['x']).catch((e: unknown) => e);
      expect(isDspyError(error, 'LM_AUTH')).toBe(true);
      expect(String((error as Error).message)).toContain('Embedder openai/text-embedding-3-small');
      expect(String((error as Error).message)).not.toContain('sk-wrong-secret-1234');
      const again = await embedder.embed(['y']).catch((e: unknown) => e);
      expect(isDspyError(again, 'LM_AUTH')).toBe(true);
      expect(guarded.requests).toHaveLength(1);
    } finally {
      await guarded.close();
    }
  });

  it('retries a 429 after Retry-After, and reports LM_RATE_LIMIT when the retries run out', async () => {
    const limited = await startTestServer({ faults: { sequence: ['429', null], retryAfterSeconds: 0 } });
    try {
      const embedder = make({}, limited);
      const [v] = await embedder.embed(['retry me']);
      expect(v).toEqual(hashingEmbedding(['retry me'])[0]);
      expect(embedder.stats).toMatchObject({ requests: 2, retries: 1 });
    } finally {
      await limited.close();
    }
    const always = await startTestServer({ faults: { always: '429', retryAfterSeconds: 0 } });
    try {
      const error = await make({ numRetries: 1 }, always)
        .embed(['x'])
        .catch((e: unknown) => e);
      expect(isDspyError(error, 'LM_RATE_LIMIT')).toBe(true);
      expect(always.requests).toHaveLength(2);
    } finally {
      await always.close();
    }
  });

  it('refuses vectors whose length is not the dimensions asked for', async () => {
    const wrongLength = make({
      dimensions: 8,
      // The server honours dimensions; this fetch asks it for other lengths.
      fetch: (input, init) => {
        const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
        return fetch(input, { ...init, body: JSON.stringify({ ...body, dimensions: 16 }) });
      },
    });
    const error = await wrongLength.embed(['x']).catch((e: unknown) => e);
    expect(isDspyError(error, 'LM_SERVER')).toBe(true);
    expect((error as Error).message).toContain('vector 0 has 16 dimensions, expected 8');
  });
});
