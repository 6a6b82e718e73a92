import { describe, expect, it } from 'vitest';
import { File, Image } from '../../src/index.js';
import { reviveMediaDeep, storeMediaDeep } from '../../src/internal.js';
import { pdf, png } from './fixtures.js';

describe('media across a JSON transport (job queues)', () => {
  it('stores media in lists and objects with their bytes and revives them as the same values', async () => {
    const image = await Image.fromBytes(png(3, 2));
    const doc = await File.fromBytes(pdf(), undefined, { filename: 'a.pdf' });
    const url = Image.fromUrl('https://example.com/r.png');
    const value = { receipt: image, pages: [image, url], nested: { doc }, note: 'n' };
    const wire = JSON.parse(JSON.stringify(storeMediaDeep(value)));
    expect(wire.receipt).toMatchObject({ $media: 'image', sha256: image.sha256, data: image.base64() });
    const back = (await reviveMediaDeep(wire, 'example 0')) as typeof value;
    expect(back.receipt).toBeInstanceOf(Image);
    expect([back.receipt.sha256, back.receipt.width, back.receipt.height]).toEqual([image.sha256, 3, 2]);
    expect(back.pages[1]?.url).toBe('https://example.com/r.png');
    expect(back.nested.doc).toBeInstanceOf(File);
    expect([back.nested.doc.filename, back.nested.doc.sha256]).toEqual(['a.pdf', doc.sha256]);
    expect(back.note).toBe('n');
  });

  it('refuses a stored value whose bytes do not match its SHA-256', async () => {
    const wire = storeMediaDeep({ receipt: await Image.fromBytes(png(2, 2, 1)) }) as { receipt: object };
    const other = await Image.fromBytes(png(2, 2, 2));
    const tampered = { receipt: { ...wire.receipt, data: other.base64() } };
    await expect(reviveMediaDeep(tampered, 'example 4 of run r')).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringContaining('example 4 of run r: a stored image does not match its SHA-256'),
    });
  });
});
