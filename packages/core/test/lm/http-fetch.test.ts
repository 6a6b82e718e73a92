import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ScriptedLM, startTestServer } from '@dspy-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LM } from '../../src/index.js';
import { createHttpFetch } from '../../src/lm/http-fetch.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server;
let base = '';
const routes = new Map<string, Handler>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => routes.get(req.url ?? '')?.(req, res, body));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  routes.set('/echo', (req, res, body) => {
    res.writeHead(201, 'Made', { 'content-type': 'application/json', 'x-seen': req.headers['x-test'] ?? '' });
    res.end(JSON.stringify({ method: req.method, body, length: req.headers['content-length'] }));
  });
  routes.set('/gzip', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(gzipSync('{"zipped":true}'));
  });
  routes.set('/cut', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('{"partial":');
    setTimeout(() => res.socket?.destroy(), 5);
  });
  routes.set('/hang', () => {});
  routes.set('/sse', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: one\n\n');
    setTimeout(() => res.end('data: two\n\n'), 5);
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

describe('createHttpFetch', () => {
  const f = createHttpFetch({ poolSize: 4 });

  it('sends method, headers and body and returns a standard Response', async () => {
    const res = await f(`${base}/echo`, {
      method: 'post',
      headers: new Headers({ 'x-test': 'yes' }),
      body: '{"é":1}',
    });
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(201);
    expect(res.statusText).toBe('Made');
    expect(res.ok).toBe(true);
    expect(res.url).toBe(`${base}/echo`);
    expect(res.headers.get('x-seen')).toBe('yes');
    expect(res.bodyUsed).toBe(false);
    expect(await res.json()).toEqual({ method: 'POST', body: '{"é":1}', length: '8' });
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(/already been read/);
  });

  it('reuses keep-alive sockets across sequential requests', async () => {
    const ports = new Set<number>();
    const onConn = (s: { remotePort?: number }) => ports.add(s.remotePort ?? 0);
    server.on('connection', onConn);
    for (let i = 0; i < 5; i++) await (await f(`${base}/echo`)).text();
    server.off('connection', onConn);
    expect(ports.size).toBeLessThanOrEqual(1);
  });

  it('serves the body as a web stream too, and decodes gzip', async () => {
    const res = await f(`${base}/echo`, { headers: { 'x-test': 'stream' } });
    expect(JSON.parse(await new Response(res.body).text())).toMatchObject({ method: 'GET' });
    expect(await (await f(`${base}/gzip`)).json()).toEqual({ zipped: true });
  });

  it('rejects reading a body cut short by the server', async () => {
    const res = await f(`${base}/cut`);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow(/ended early/);
  });

  it('rejects with an AbortError when the signal fires, before or during the request', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    await expect(f(`${base}/hang`, { signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' });
    await expect(f(`${base}/echo`, { signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects a refused connection with a TypeError carrying the socket error', async () => {
    const err = (await f('http://127.0.0.1:9/x').catch((e: unknown) => e)) as TypeError;
    expect(err).toBeInstanceOf(TypeError);
    expect((err.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('streams text/event-stream bodies as they arrive', async () => {
    const res = await f(`${base}/sse`);
    expect(await res.text()).toBe('data: one\n\ndata: two\n\n');
  });
});

describe('LM transport', () => {
  it('answers over the default node:http transport and over the global fetch alike', async () => {
    await using srv = await startTestServer({ lm: new ScriptedLM(() => ({ answer: 'Paris' })) });
    for (const fetch of [undefined, globalThis.fetch]) {
      const lm = new LM('openai/gpt-4o-mini', { baseURL: srv.url, apiKey: 'k', cache: false, fetch });
      const r = await lm.call({ messages: [{ role: 'user', content: 'Capital of France?' }] });
      expect(r.text).toContain('Paris');
      expect(r.attempts).toBe(1);
    }
  });
});

describe('LM and a long-lived caller signal', () => {
  it('keeps at most one listener on a signal shared by many calls, and still aborts through it', async () => {
    await using srv = await startTestServer({ lm: new ScriptedLM(() => ({ answer: 'Paris' })) });
    const lm = new LM('openai/gpt-4o-mini', { baseURL: srv.url, apiKey: 'k', cache: false });
    const ac = new AbortController();
    for (let i = 0; i < 20; i++) {
      await lm.call({ messages: [{ role: 'user', content: `q${i}` }], signal: ac.signal });
    }
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        lm.call({ messages: [{ role: 'user', content: `p${i}` }], signal: ac.signal }),
      ),
    );
    expect(EventEmitter.getEventListeners(ac.signal, 'abort').length).toBeLessThanOrEqual(1);
    ac.abort();
    await expect(
      lm.call({ messages: [{ role: 'user', content: 'late' }], signal: ac.signal }),
    ).rejects.toMatchObject({ code: 'LM_ABORTED' });
  });

  it('aborts every call still in flight, whichever calls on the signal finished before', async () => {
    const slow = (r: { body: unknown }) => !JSON.stringify(r.body).includes('fast');
    await using srv = await startTestServer({
      lm: new ScriptedLM(() => ({ answer: 'Paris' })),
      latencyMs: (r) => (slow(r) ? 60_000 : 0),
    });
    const lm = new LM('openai/gpt-4o-mini', { baseURL: srv.url, apiKey: 'k', cache: false, numRetries: 0 });
    const ac = new AbortController();
    const ask = (content: string) =>
      lm.call({ messages: [{ role: 'user', content }], signal: ac.signal }).then(
        (r) => r.text,
        (e: unknown) => e,
      );
    // Slow and fast calls interleaved: the fast ones leave the list from its middle and ends.
    const calls = ['slow 1', 'fast 1', 'slow 2', 'fast 2', 'slow 3', 'fast 3'].map(ask);
    while (srv.received < 6) await new Promise((r) => setTimeout(r, 5));
    const [fast1, fast2, fast3] = await Promise.all([calls[1], calls[3], calls[5]]);
    expect([fast1, fast2, fast3]).toEqual([
      expect.stringContaining('Paris'),
      expect.stringContaining('Paris'),
      expect.stringContaining('Paris'),
    ]);
    ac.abort();
    const slowOnes = await Promise.all([calls[0], calls[2], calls[4]]);
    for (const e of slowOnes) expect(e).toMatchObject({ code: 'LM_ABORTED' });
  });
});
