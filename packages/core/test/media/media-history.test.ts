import {
  ChatAdapter,
  File,
  History,
  Image,
  JSONAdapter,
  specOf,
  TwoStepAdapter,
  XMLAdapter,
} from '@dspy-ts/core';
import { ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, it } from 'vitest';
import { pdf, png } from './fixtures.js';

describe('media in History turns', () => {
  it('an earlier turn with an image becomes a user message with its image part', async () => {
    const before = await Image.fromBytes(png(2, 2, 7));
    const now = await Image.fromBytes(png(2, 2, 8));
    const spec = specOf('history: History, photo: Image -> caption');
    const history = new History([{ photo: before, caption: 'a cat' }]);
    const messages = new ChatAdapter().format(spec, { inputs: { history, photo: now } });
    const users = messages.filter((m) => m.role === 'user');
    const urls = users.map((m) =>
      'parts' in m ? m.parts?.flatMap((p) => (p.type === 'image_url' ? [p.url] : [])) : undefined,
    );
    expect(urls).toEqual([[before.dataUrl()], [now.dataUrl()]]);
    expect(messages.find((m) => m.role === 'assistant')?.content).toContain('a cat');
  });
});

describe('media through every adapter', () => {
  it('XMLAdapter, JSONAdapter and TwoStepAdapter send inputs, demos and history media as content parts', async () => {
    const inDemo = await Image.fromBytes(png(2, 2, 1));
    const inHistory = await Image.fromBytes(png(2, 2, 2));
    const now = await Image.fromBytes(png(2, 2, 3));
    const page = await Image.fromBytes(png(2, 2, 4));
    const spec = specOf('history: History, photo: Image, pages: Image[] -> caption');
    const history = new History([{ photo: inHistory, pages: [], caption: 'before' }]);
    const extractionModel = new ScriptedLM(() => ({ caption: 'x' }));
    for (const adapter of [new XMLAdapter(), new JSONAdapter(), new TwoStepAdapter({ extractionModel })]) {
      const messages = adapter.format(spec, {
        inputs: { history, photo: now, pages: [page] },
        demos: [{ photo: inDemo, pages: [], caption: 'a demo' }],
      });
      const urls = messages
        .filter((m) => m.role === 'user')
        .map((m) => ('parts' in m ? m.parts?.flatMap((p) => (p.type === 'image_url' ? [p.url] : [])) : []));
      expect(urls, adapter.name).toEqual([
        [inDemo.dataUrl()],
        [inHistory.dataUrl()],
        [now.dataUrl(), page.dataUrl()],
      ]);
      // No escaped or raw text view is left in a text part: each became the image itself.
      const texts = messages.flatMap((m) =>
        'parts' in m && m.parts ? m.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])) : [],
      );
      expect(texts.join('\n'), adapter.name).not.toMatch(/image: sha256/);
    }
  });
});

describe('media in lists whose text view JSON escapes', () => {
  it('a file named with a quote, a backslash or a tab is sent as a part from a list, in every adapter', async () => {
    const names = ['say "hi".pdf', 'dir\\a.pdf', 'tab\there.pdf', 'a&b<c>.pdf'];
    const docs = await Promise.all(names.map((filename) => File.fromBytes(pdf(), undefined, { filename })));
    const spec = specOf('docs: File[] -> summary');
    for (const adapter of [new ChatAdapter(), new XMLAdapter(), new JSONAdapter()]) {
      const user = adapter.format(spec, { inputs: { docs } }).at(-1);
      const files =
        user && 'parts' in user
          ? (user.parts ?? []).flatMap((p) => (p.type === 'file' ? [p.file.filename] : []))
          : [];
      expect(files, adapter.name).toEqual(names);
    }
  });
});
