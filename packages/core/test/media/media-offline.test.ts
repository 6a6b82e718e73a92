import { Image, Predict } from '@dspy-ts/core';
import { OfflineLM, ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, it } from 'vitest';
import { png } from './fixtures.js';

describe('test doubles read media through the text view', () => {
  it('ScriptedLM matches an image by its sha256 in the text view', async () => {
    const a = await Image.fromBytes(png(2, 2, 1));
    const b = await Image.fromBytes(png(2, 2, 2));
    const lm = new ScriptedLM({
      [`sha256:${a.sha256?.slice(0, 16)}`]: { total: 1 },
      [`sha256:${b.sha256?.slice(0, 16)}`]: { total: 2 },
    });
    const reader = new Predict('receipt: Image -> total: number', { lm });
    expect((await reader.forward({ receipt: b })).total).toBe(2);
    expect((await reader.forward({ receipt: a })).total).toBe(1);
  });

  it('OfflineLM recognises the image of a demo (same bytes) among others', async () => {
    const images = await Promise.all([1, 2, 3].map((s) => Image.fromBytes(png(3, 3, s))));
    const reader = new Predict('receipt: Image -> total: number', { lm: new OfflineLM() });
    reader.demos = images.map((receipt, i) => ({ receipt, total: (i + 1) * 10 }));
    for (const [i, image] of images.entries()) {
      const again = await Image.fromBytes(png(3, 3, i + 1));
      expect(again).not.toBe(image);
      expect((await reader.forward({ receipt: again })).total).toBe((i + 1) * 10);
    }
  });
});
