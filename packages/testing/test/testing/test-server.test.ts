import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { FaultPlanner, ScriptedLM, startTestServer } from '../../src/index.js';
import { echoLM } from './helpers.js';

const client = (url: string, extra: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) =>
  new OpenAI({ baseURL: url, apiKey: 'sk-secret-value', maxRetries: 0, ...extra });

const ask = { model: 'gpt-test', messages: [{ role: 'user' as const, content: 'hello' }] };

describe('startTestServer: protocol', () => {
  it('answers chat completions through the openai client and records the request', async () => {
    const lm = echoLM();
    await using server = await startTestServer({ lm });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const res = await client(server.url).chat.completions.create({
      ...ask,
      temperature: 0.3,
      max_completion_tokens: 50,
      stop: 'END',
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'out', schema: { type: 'object' }, strict: true },
      },
    });
    expect(res.choices[0]?.message.content).toBe('echo: hello');
    expect(res.choices[0]?.finish_reason).toBe('stop');
    expect(res.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    expect(res.model).toBe('gpt-test');
    expect(res.id).toMatch(/^chatcmpl-/);
    expect(res._request_id).toBe('req_0');
    const rec = server.requests[0]!;
    expect(rec.hasAuth).toBe(true);
    expect(rec.headers.authorization).toBeUndefined();
    expect(JSON.stringify(server.requests)).not.toContain('sk-secret-value');
    expect(rec.outcome).toEqual({ status: 200, fault: null, stream: false });
    expect(lm.requests[0]).toMatchObject({
      messages: [{ role: 'user', content: 'hello' }],
      temperature: 0.3,
      maxTokens: 50,
      stop: ['END'],
      responseFormat: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
    });
  });

  it('maps max_tokens, n, rollout id (header and body) and unknown keys', async () => {
    const lm = echoLM();
    await using server = await startTestServer({ lm });
    const res = await client(server.url).chat.completions.create(
      { ...ask, n: 3, max_tokens: 7 },
      {
        headers: { 'x-rollout-id': 'r1' },
      },
    );
    expect(res.choices.map((c) => c.message.content)).toEqual([
      'echo: hello',
      'echo: hello #1',
      'echo: hello #2',
    ]);
    expect(lm.requests[0]).toMatchObject({ n: 3, maxTokens: 7, rolloutId: 'r1' });
    await client(server.url).chat.completions.create({ ...ask, seed: 4, rollout_id: 2 } as typeof ask);
    expect(lm.requests[1]).toMatchObject({ rolloutId: 2, extra: { seed: 4 } });
  });

  it('streams SSE with [DONE] and usage when asked', async () => {
    await using server = await startTestServer({ lm: echoLM(), streamChunkChars: 3 });
    const stream = await client(server.url).chat.completions.create({
      ...ask,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let chunks = 0;
    let usage: unknown;
    for await (const c of stream) {
      chunks++;
      text += c.choices[0]?.delta.content ?? '';
      if (c.usage) usage = c.usage;
    }
    expect(text).toBe('echo: hello');
    expect(chunks).toBeGreaterThan(4);
    expect(usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    expect(server.requests[0]?.outcome.stream).toBe(true);
    const raw = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ ...ask, stream: true }),
    }).then((r) => r.text());
    expect(raw.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(raw).not.toContain('"usage"');
  });

  it('lists models, 404s unknown routes, 400s bad bodies, 401s a wrong key', async () => {
    await using server = await startTestServer({ lm: echoLM(), apiKey: 'right' });
    const models = await client(server.url, { apiKey: 'right' }).models.list();
    expect(models.data.map((m) => m.id)).toEqual(['echo-model']);
    await expect(client(server.url).chat.completions.create(ask)).rejects.toMatchObject({ status: 401 });
    const auth = { authorization: 'Bearer right' };
    expect((await fetch(`${server.url}/nothing`, { headers: auth })).status).toBe(404);
    const bad = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: auth,
      body: '{not json',
    });
    expect(bad.status).toBe(400);
    expect(server.requests.at(-1)?.body).toBe('{not json');
    const noMsgs = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: auth,
      body: '{"messages":[]}',
    });
    expect(noMsgs.status).toBe(400);
    expect(((await noMsgs.json()) as { error: { message: string } }).error.message).toContain('messages');
  });

  it('reads content parts from the openai client: records them, gives the model their text view, matches a ScriptedLM key', async () => {
    const hello = Buffer.from('hello').toString('base64');
    const sha = createHash('sha256').update('hello').digest('hex');
    const lm = new ScriptedLM({ [`sha256:${sha.slice(0, 16)}`]: 'the image', 'a.pdf': 'the file' });
    await using server = await startTestServer({ lm });
    const parts = (content: unknown) => ({
      model: 'm',
      messages: [{ role: 'user' as const, content: content as never }],
    });
    const image = [
      { type: 'text', text: 'Look: ' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${hello}` } },
    ];
    const res = await client(server.url).chat.completions.create(parts(image));
    expect(res.choices[0]?.message.content).toBe('the image');
    const body = server.requests.at(-1)?.body as { messages: { content: unknown }[] };
    expect(body.messages[0]?.content).toEqual(image);
    const seen = server.requests.at(-1)?.lmRequest?.messages[0];
    expect(seen?.content).toBe(`Look: <image: sha256:${sha.slice(0, 16)}>`);
    expect(seen && 'parts' in seen ? seen.parts?.map((p) => p.type) : []).toEqual(['text', 'image_url']);
    const file = [
      {
        type: 'file',
        file: {
          filename: 'a.pdf',
          file_data: `data:application/pdf;base64,${Buffer.from('%PDF').toString('base64')}`,
        },
      },
    ];
    const r2 = await client(server.url).chat.completions.create(parts(file));
    expect(r2.choices[0]?.message.content).toBe('the file');
  });

  it('400s a content part it cannot read, naming the message and the part', async () => {
    await using server = await startTestServer({ lm: echoLM() });
    const parts = (content: unknown) => ({
      model: 'm',
      messages: [{ role: 'user' as const, content: content as never }],
    });
    const refused = [
      [
        [
          { type: 'text', text: 'a' },
          { type: 'video', video: {} },
        ],
        /content\[1\]: a content part "video" is not one/,
      ],
      [[{ type: 'file', file: { file_id: 'file-1' } }], /content\[0\]: a content part "file" is not one/],
      [[{ type: 'image_url', image_url: { url: 'data:image/png;base64,@@@' } }], /not base64/],
      [[{ type: 'input_audio', input_audio: { data: 'abc', format: 'wav' } }], /not base64/],
    ] as const;
    for (const [content, message] of refused) {
      const err = await client(server.url)
        .chat.completions.create(parts(content))
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 400 });
      expect((err as Error).message).toMatch(message);
    }
    expect(server.requests.filter((r) => r.lmRequest)).toHaveLength(0);
  });

  it('answers a model error with an OpenAI-style 500', async () => {
    const lm = { model: 'boom', call: async () => Promise.reject(new Error('backend down')) };
    await using server = await startTestServer({ lm });
    await expect(client(server.url).chat.completions.create(ask)).rejects.toMatchObject({ status: 500 });
  });
});

describe('startTestServer: faults', () => {
  it('429 carries Retry-After and the openai client retries past it', async () => {
    await using server = await startTestServer({
      lm: echoLM(),
      faults: { sequence: ['429', '500', null], retryAfterSeconds: 0.01 },
    });
    const res = await client(server.url, { maxRetries: 2 }).chat.completions.create(ask);
    expect(res.choices[0]?.message.content).toBe('echo: hello');
    expect(server.requests.map((r) => [r.outcome.status, r.outcome.fault])).toEqual([
      [429, '429'],
      [500, '500'],
      [200, null],
    ]);
    const raw = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: { 'x-test-fault': '429' },
      body: JSON.stringify(ask),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('0.01');
  });

  it('injects 503, reset, malformed and truncated as client errors', async () => {
    await using server = await startTestServer({
      lm: echoLM(),
      faults: { sequence: ['503', 'reset', 'malformed', 'truncated', 'malformed', 'truncated'] },
    });
    const c = client(server.url);
    await expect(c.chat.completions.create(ask)).rejects.toMatchObject({ status: 503 });
    await expect(c.chat.completions.create(ask)).rejects.toThrow(/connection/i);
    await expect(c.chat.completions.create(ask)).rejects.toThrow();
    await expect(c.chat.completions.create(ask)).rejects.toThrow();
    const consume = async () => {
      for await (const _ of await c.chat.completions.create({ ...ask, stream: true })) {
        // drain
      }
    };
    await expect(consume()).rejects.toThrow();
    await expect(consume()).rejects.toThrow();
    expect(server.requests.map((r) => r.outcome.fault)).toEqual([
      '503',
      'reset',
      'malformed',
      'truncated',
      'malformed',
      'truncated',
    ]);
    expect(server.requests[1]?.outcome.status).toBeUndefined();
  });

  it('hang never answers: the client times out, close() still finishes', async () => {
    const server = await startTestServer({ lm: echoLM(), faults: { always: 'hang' } });
    await expect(client(server.url, { timeout: 150 }).chat.completions.create(ask)).rejects.toThrow(
      /timed out/i,
    );
    const pending = fetch(`${server.url}/chat/completions`, { method: 'POST', body: JSON.stringify(ask) });
    while (server.requests.length < 2) await new Promise((r) => setTimeout(r, 5));
    await server.close();
    await expect(pending).rejects.toThrow();
    await server.close(); // idempotent
    await expect(fetch(`${server.url}/models`)).rejects.toThrow();
  });

  it('await using closes the server, idle keep-alive connections included', async () => {
    let url = '';
    {
      await using server = await startTestServer({ lm: echoLM() });
      url = server.url;
      await client(url).chat.completions.create(ask); // leaves an idle keep-alive socket
    }
    await expect(fetch(`${url}/models`)).rejects.toThrow();
  });

  it('a seeded fault rate is deterministic and near its rate', async () => {
    const draw = (seed: number) => {
      const p = new FaultPlanner({ rate: 0.2, seed });
      return Array.from({ length: 1000 }, () => p.next());
    };
    const a = draw(7);
    expect(draw(7)).toEqual(a);
    expect(draw(8)).not.toEqual(a);
    const hits = a.filter((f) => f !== null).length;
    expect(hits).toBeGreaterThan(150);
    expect(hits).toBeLessThan(250);
    expect(new Set(a.filter((f) => f !== null))).toEqual(
      new Set(['429', '500', '503', 'reset', 'malformed', 'truncated']),
    );
    const run = async () => {
      await using server = await startTestServer({
        lm: echoLM(),
        faults: { rate: 0.5, seed: 3, kinds: ['500', '503'] },
      });
      for (let i = 0; i < 20; i++)
        await fetch(`${server.url}/chat/completions`, { method: 'POST', body: JSON.stringify(ask) });
      return server.requests.map((r) => r.outcome.status);
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 500, 503]));
  });

  it('rejects invalid fault options with a DspyError', async () => {
    await expect(startTestServer({ lm: echoLM(), faults: { rate: 2 } })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    await expect(startTestServer({ lm: echoLM(), faults: { always: 'teapot' as '500' } })).rejects.toThrow(
      /How to fix/,
    );
  });

  it('applies per-request latency from a function of the request', async () => {
    const seen: number[] = [];
    await using server = await startTestServer({
      lm: echoLM(),
      latencyMs: (r) => {
        seen.push(r.index);
        return 5;
      },
    });
    await client(server.url).chat.completions.create(ask);
    await client(server.url).chat.completions.create(ask);
    expect(seen).toEqual([0, 1]);
  });

  it('serves a thousand requests over a few keep-alive connections', async () => {
    await using server = await startTestServer({ lm: echoLM() });
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const sockets = new Set<unknown>();
    const body = JSON.stringify(ask);
    const one = () =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${server.url}/chat/completions`, { method: 'POST', agent }, (res) => {
          sockets.add(res.socket);
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(body);
      });
    const statuses = await Promise.all(Array.from({ length: 1000 }, one));
    agent.destroy();
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(server.requests).toHaveLength(1000);
    expect(sockets.size).toBeLessThanOrEqual(8);
  });
});
