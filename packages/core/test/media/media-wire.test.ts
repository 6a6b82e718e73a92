import { Audio, ChatAdapter, File, getHistory, Image, LM, MemoryCache, Predict } from '@dspy-ts/core';
import { ScriptedLM, startTestServer, type TestServer } from '@dspy-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigPng, pdf, png, wav } from './fixtures.js';

type WirePart = {
  type: string;
  text?: string;
  image_url?: { url: string };
  input_audio?: { data: string; format: string };
  file?: { filename: string; file_data: string };
};
type WireMessage = { role: string; content: string | WirePart[] };

let server: TestServer;
const backing = new ScriptedLM(() => ({ total: 42 }));

beforeAll(async () => {
  server = await startTestServer({ lm: backing });
});
afterAll(async () => {
  await server.close();
});

function lastMessages(): WireMessage[] {
  const body = server.requests.at(-1)?.body as { messages: WireMessage[] };
  return body.messages;
}

describe('media inputs over the openai client', () => {
  it('the server receives image (bytes and URL), audio and file content parts in field order', async () => {
    const lm = new LM('openai/gpt-4o-mini', { baseURL: server.url, apiKey: 'k', cache: false });
    const reader = new Predict(
      'receipt: Image, photo: Image, clip: Audio, doc: File, question -> total: number',
      { lm },
    );
    const receipt = await Image.fromBytes(png(4, 3));
    const photo = Image.fromUrl('https://example.com/photo.jpg');
    const clip = await Audio.fromBytes(wav());
    const doc = await File.fromBytes(pdf(), undefined, { filename: 'invoice.pdf' });
    const out = await reader.forward({ receipt, photo, clip, doc, question: 'Total?' });
    expect(out.total).toBe(42);
    const user = lastMessages().at(-1);
    if (!user || typeof user.content === 'string') throw new Error('expected content parts');
    const types = user.content.map((p) => p.type);
    expect(types).toEqual([
      'text',
      'image_url',
      'text',
      'image_url',
      'text',
      'input_audio',
      'text',
      'file',
      'text',
    ]);
    expect(user.content[0]?.text).toContain('[[ ## receipt ## ]]');
    expect(user.content[1]?.image_url?.url).toBe(receipt.dataUrl());
    expect(user.content[3]?.image_url?.url).toBe('https://example.com/photo.jpg');
    expect(user.content[5]?.input_audio).toEqual({ data: clip.base64(), format: 'wav' });
    expect(user.content[7]?.file).toEqual({ filename: 'invoice.pdf', file_data: doc.dataUrl() });
    expect(user.content.at(-1)?.text).toContain('Total?');
    // The backing model reads the text view, with the image's hash.
    const seen = server.requests.at(-1)?.lmRequest?.messages.at(-1)?.content ?? '';
    expect(seen).toContain(`<image: sha256:${receipt.sha256?.slice(0, 16)}>`);
  });

  it('demos with media and a list of images become parts; the system message stays text', async () => {
    const lm = new LM('openai/gpt-4o-mini', { baseURL: server.url, apiKey: 'k', cache: false });
    const reader = new Predict('pages: Image[] -> total: number', { lm });
    const [a, b, c] = await Promise.all([
      Image.fromBytes(png(2, 2, 1)),
      Image.fromBytes(png(2, 2, 2)),
      Image.fromBytes(png(2, 2, 3)),
    ]);
    reader.demos = [{ pages: [a], total: 1 }];
    await reader.forward({ pages: [b, c] });
    const messages = lastMessages();
    expect(typeof messages[0]?.content).toBe('string');
    const demo = messages[1]?.content as WirePart[];
    expect(demo.filter((p) => p.type === 'image_url').map((p) => p.image_url?.url)).toEqual([a.dataUrl()]);
    const final = messages.at(-1)?.content as WirePart[];
    expect(final.filter((p) => p.type === 'image_url').map((p) => p.image_url?.url)).toEqual([
      b?.dataUrl(),
      c?.dataUrl(),
    ]);
  });

  it('Audio known only by URL is a clear ADAPTER_FORMAT error before any call', async () => {
    const before = server.requests.length;
    const lm = new LM('openai/gpt-4o-mini', { baseURL: server.url, apiKey: 'k', cache: false });
    const p = new Predict('clip: Audio -> total: number', { lm });
    await expect(p.forward({ clip: Audio.fromUrl('https://example.com/a.wav') })).rejects.toMatchObject({
      code: 'ADAPTER_FORMAT',
      message: expect.stringMatching(/only as bytes/),
    });
    expect(server.requests.length).toBe(before);
  });

  it('a 1 MB image: history keeps the text view only, and the cache key follows the bytes', async () => {
    const cache = new MemoryCache(10);
    const lm = new LM('openai/gpt-4o-mini', { baseURL: server.url, apiKey: 'k', cache });
    const p = new Predict('receipt: Image -> total: number', { lm });
    const big = await Image.fromBytes(bigPng(1_000_000));
    await p.forward({ receipt: big });
    const entry = getHistory(1)[0];
    expect(JSON.stringify(entry).length).toBeLessThan(5_000);
    expect(JSON.stringify(entry)).toContain(big.textView());
    const before = server.requests.length;
    await p.forward({ receipt: await Image.fromBytes(bigPng(1_000_000)) });
    expect(server.requests.length).toBe(before);
    await p.forward({ receipt: await Image.fromBytes(png(3, 3)) });
    expect(server.requests.length).toBe(before + 1);
  });

  it('format gives the parts on the user message and the text view as its content', async () => {
    const image = await Image.fromBytes(png(5, 5));
    const messages = new ChatAdapter().format(specOfReader(), { inputs: { receipt: image } });
    const user = messages.at(-1);
    expect(user?.content).toContain(image.textView());
    expect(user && 'parts' in user ? user.parts?.map((p) => p.type) : []).toEqual([
      'text',
      'image_url',
      'text',
    ]);
  });
});

function specOfReader() {
  return new Predict('receipt: Image -> total: number').signature;
}
