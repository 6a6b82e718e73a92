import { describe, expect, it } from 'vitest';
import { hashingEmbedding, startTestServer } from '../../src/index.js';

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] as number) * (b[i] as number);
  return dot;
}

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}/embeddings`, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('hashingEmbedding', () => {
  it('is deterministic, L2-normalised, and near for texts that share words', () => {
    const [a, b, c] = hashingEmbedding([
      'What is the capital of France?',
      'the capital city of France',
      'photosynthesis in green plants',
    ]) as [Float32Array, Float32Array, Float32Array];
    expect(a).toHaveLength(384);
    expect(cosine(a, a)).toBeCloseTo(1, 5);
    expect(hashingEmbedding(['What is the capital of France?'])[0]).toEqual(a);
    expect(cosine(a, b)).toBeGreaterThan(0.4);
    expect(Math.abs(cosine(a, c))).toBeLessThan(0.2);
    // Character 3-grams make inflections near too.
    const [cat, cats] = hashingEmbedding(['cat', 'cats'], { dimensions: 64 }) as [Float32Array, Float32Array];
    expect(cats).toHaveLength(64);
    expect(cosine(cat, cats)).toBeGreaterThan(0.25);
  });

  it('gives the zero vector to a text without letters or digits, and refuses bad dimensions', () => {
    expect(Array.from(hashingEmbedding(['?!'], { dimensions: 4 })[0] ?? [])).toEqual([0, 0, 0, 0]);
    expect(() => hashingEmbedding(['x'], { dimensions: 0 })).toThrow(/dimensions must be a positive integer/);
  });
});

describe('startTestServer: POST /v1/embeddings', () => {
  it('answers with the hashing embedding, in float or base64, honouring dimensions, and records the request', async () => {
    await using server = await startTestServer({});
    const floats = await post(server.url, {
      model: 'emb',
      input: ['a b', 'c'],
      dimensions: 8,
      encoding_format: 'float',
    });
    expect(floats.status).toBe(200);
    const data = floats.json.data as { index: number; embedding: number[] }[];
    expect(data.map((d) => d.index)).toEqual([0, 1]);
    expect(Float32Array.from(data[0]?.embedding ?? [])).toEqual(
      hashingEmbedding(['a b'], { dimensions: 8 })[0],
    );
    expect(floats.json.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
    const b64 = await post(server.url, { model: 'emb', input: 'a b', encoding_format: 'base64' });
    const bytes = Buffer.from((b64.json.data as { embedding: string }[])[0]?.embedding ?? '', 'base64');
    expect(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)).toEqual(
      hashingEmbedding(['a b'])[0],
    );
    expect(server.requests.map((r) => [r.path, r.outcome.status])).toEqual([
      ['/v1/embeddings', 200],
      ['/v1/embeddings', 200],
    ]);
    expect(server.requests[0]?.body).toMatchObject({ input: ['a b', 'c'] });
  });

  it('refuses bodies OpenAI refuses with a 400', async () => {
    await using server = await startTestServer({});
    for (const [body, text] of [
      [{ model: 'emb', input: [] }, '`input` must be a string or a non-empty array'],
      [{ model: 'emb', input: ['ok', ''] }, 'input[1] is empty'],
      [{ model: 'emb', input: 'x', dimensions: 0 }, '`dimensions` must be a positive integer'],
      [{ input: 'x' }, '`model` must be a non-empty string'],
    ] as const) {
      const { status, json } = await post(server.url, body);
      expect(status).toBe(400);
      expect((json.error as { message: string }).message).toContain(text);
    }
  });

  it('injects faults, waits the latency and checks the key as for chat', async () => {
    await using server = await startTestServer({
      latencyMs: 30,
      apiKey: 'key',
      faults: { sequence: ['503'] },
    });
    const send = (auth: string) =>
      fetch(`${server.url}/embeddings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${auth}` },
        body: JSON.stringify({ model: 'emb', input: 'x' }),
      });
    expect((await send('wrong')).status).toBe(401);
    expect((await send('key')).status).toBe(503);
    const started = performance.now();
    expect((await send('key')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(server.requests.map((r) => r.outcome.fault)).toEqual([null, '503', null]);
  });

  it('answers chat with a 404 when it has no chat model', async () => {
    await using server = await startTestServer({});
    const res = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('no chat model');
  });
});
