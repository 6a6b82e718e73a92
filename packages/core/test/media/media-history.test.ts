import { ChatAdapter, History, Image, specOf } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';
import { png } from './fixtures.js';

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
