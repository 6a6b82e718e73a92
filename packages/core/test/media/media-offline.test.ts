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

  it("OfflineLM answers an unseen image with what every demo agrees on, and in the demos' format", async () => {
    const seen = await Promise.all([1, 2, 3].map((s) => Image.fromBytes(png(3, 3, s))));
    const reader = new Predict("receipt: Image -> currency: 'USD' | 'EUR', country: str, date: str", {
      lm: new OfflineLM(),
    });
    reader.demos = seen.map((receipt, i) => ({
      receipt,
      currency: 'EUR',
      country: 'France',
      date: `2026-0${i + 1}-1${i}`,
    }));
    // An image no demo holds (other bytes, other size): nothing in it can be read without vision,
    // but a field that is the same in every demo is given as it is, and a date in their format.
    const unseen = await Image.fromBytes(png(5, 4, 9));
    const out = await reader.forward({ receipt: unseen });
    expect(out.currency).toBe('EUR');
    expect(out.country).toBe('France');
    expect(out.date).toMatch(/^2026-\d{2}-\d{2}$/);
    // Zero-shot, the same reader has nothing to go by: the first option.
    const zeroShot = new Predict("receipt: Image -> currency: 'USD' | 'EUR'", {
      lm: new OfflineLM(),
    });
    expect((await zeroShot.forward({ receipt: unseen })).currency).toBe('USD');
  });
});
