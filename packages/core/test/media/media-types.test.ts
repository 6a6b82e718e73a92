import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Audio, DspyError, File, Image, Media } from '../../src/index.js';
import { bigPng, pdf, png, wav } from './fixtures.js';

describe('Image, Audio and File', () => {
  it('an image from bytes knows its type, hash, size and dimensions, and shows only a reference', async () => {
    const bytes = png(1024, 768);
    const image = await Image.fromBytes(bytes);
    expect(image.mimeType).toBe('image/png');
    expect(image.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(image.byteLength).toBe(bytes.byteLength);
    expect([image.width, image.height]).toEqual([1024, 768]);
    expect(image.textView()).toBe(
      `<image: sha256:${image.sha256?.slice(0, 16)}, 1024×768 png, ${Math.round(bytes.byteLength / 1000)} kB>`,
    );
    expect(inspect(image)).toBe(image.textView());
    expect(JSON.stringify(image)).not.toContain(image.base64() ?? 'none');
    expect(image.toJSON()).toMatchObject({ type: 'image', mimeType: 'image/png', width: 1024 });
    expect(Object.isFrozen(image)).toBe(true);
    expect(Media.isMedia(image)).toBe(true);
  });

  it('the bytes decide the type over a wrong declared one; base64 round-trips', async () => {
    const image = await Image.fromBase64(Buffer.from(png(4, 4)).toString('base64'), 'image/jpeg');
    expect(image.mimeType).toBe('image/png');
    expect(image.dataUrl().startsWith('data:image/png;base64,iVBOR')).toBe(true);
  });

  it('audio (wav) and files (PDF, text) with a filename', async () => {
    expect((await Audio.fromBytes(wav())).mimeType).toBe('audio/wav');
    const doc = await File.fromBytes(pdf(), undefined, { filename: 'invoice.pdf' });
    expect([doc.mimeType, doc.filename]).toEqual(['application/pdf', 'invoice.pdf']);
    const note = await File.fromBytes(new TextEncoder().encode('hello'));
    expect([note.mimeType, note.filename]).toEqual(['text/plain', 'file.txt']);
  });

  it('fromFile reads the bytes and names a File by its base name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dspy-media-'));
    try {
      await writeFile(join(dir, 'scan.pdf'), pdf());
      const doc = await File.fromFile(join(dir, 'scan.pdf'));
      expect(doc.filename).toBe('scan.pdf');
      const missing = await Image.fromFile(join(dir, 'nope.png')).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(DspyError);
      expect((missing as DspyError).details.where).toBe('Image.fromFile(...)');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fromUrl keeps the URL and refuses what is not http(s)', () => {
    const image = Image.fromUrl('https://example.com/r.png');
    expect(image.url).toBe('https://example.com/r.png');
    expect(image.textView()).toBe('<image: https://example.com/r.png>');
    expect(() => Image.fromUrl('file:///etc/passwd')).toThrow(/not an http\(s\) URL/);
  });

  it('unsupported and oversized media are INPUT_INVALID errors that say the fix', async () => {
    const wrong = await Image.fromBytes(pdf()).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: 'INPUT_INVALID' });
    expect((wrong as DspyError).message).toMatch(/'application\/pdf', which is not supported/);
    const big = await Image.fromBytes(png(8, 8), undefined, { maxBytes: 10 }).catch((e: unknown) => e);
    expect((big as DspyError).message).toMatch(/over the limit of 10/);
    expect((big as DspyError).details.fix).toMatch(/maxBytes/);
  });

  it('a 1 MB image stays small in JSON, inspect and errors', async () => {
    const image = await Image.fromBytes(bigPng(1_000_000));
    expect(JSON.stringify(image).length).toBeLessThan(300);
    expect(inspect({ image }).length).toBeLessThan(300);
  });

  it('keeps its own copy of bytes given as a Node Buffer, and bytes() gives a fresh copy', async () => {
    const given = Buffer.from(png(2, 2, 9));
    const image = await Image.fromBytes(given);
    given.fill(0);
    const out = image.bytes() as Uint8Array;
    expect(out.constructor).toBe(Uint8Array);
    expect(createHash('sha256').update(out).digest('hex')).toBe(image.sha256);
    out.fill(0);
    expect(
      createHash('sha256')
        .update(image.bytes() as Uint8Array)
        .digest('hex'),
    ).toBe(image.sha256);
  });
});
