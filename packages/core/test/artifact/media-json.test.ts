import { describe, expect, it } from 'vitest';
import { File, Image } from '../../src/index.js';
import { liftMedia, restoreLiftedMedia } from '../../src/internal.js';
import { bigPng, png } from '../media/fixtures.js';

const OPTIONS = { where: 'record 1', code: 'OPTIMIZER_INVALID', fix: 'Start afresh.' } as const;

/** What a JSON line keeps: the lifted value and its media list, through text. */
function throughText(value: unknown, limit: number) {
  const lifted = liftMedia(value, limit);
  const parsed = JSON.parse(JSON.stringify({ value: lifted.json, media: lifted.media }));
  return { lifted, parsed };
}

describe('liftMedia / restoreLiftedMedia', () => {
  it('keeps media whole through JSON, inline below the limit and by file above it, at any depth', async () => {
    const small = await Image.fromBytes(png(3, 3, 1));
    const large = await Image.fromBytes(bigPng(5_000));
    const url = Image.fromUrl('https://example.com/r.png');
    const doc = await File.fromBytes(new TextEncoder().encode('hello'), 'text/plain', {
      filename: 'note.txt',
    });
    const value = {
      ok: true,
      demos: {
        self: [
          { receipt: small, total: 3 },
          { receipt: large, pages: [doc, url] },
        ],
      },
      // A plain object may use any key, '$media' included: places are kept apart from the value.
      note: { $media: 'not media' },
    };
    const { lifted, parsed } = throughText(value, 1_000);
    expect(lifted.media.map((m) => m.path)).toEqual([
      ['demos', 'self', 0, 'receipt'],
      ['demos', 'self', 1, 'receipt'],
      ['demos', 'self', 1, 'pages', 0],
      ['demos', 'self', 1, 'pages', 1],
    ]);
    expect([...lifted.files.keys()]).toEqual([`${large.sha256}.png`]);
    expect(lifted.media[1]?.media.file).toBe(`${large.sha256}.png`);
    expect(lifted.media[1]?.media.data).toBeUndefined();
    expect(lifted.media[0]?.media.data).toBe(small.base64());
    // The value itself is untouched.
    expect(value.demos.self[0]?.receipt).toBe(small);

    const read = (file: string) => {
      const bytes = lifted.files.get(file);
      if (!bytes) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return bytes;
    };
    const back = (await restoreLiftedMedia(parsed.value, parsed.media, { ...OPTIONS, read })) as typeof value;
    const [first, second] = back.demos.self as [{ receipt: Image }, { receipt: Image; pages: unknown[] }];
    expect(Image.isMedia(first.receipt)).toBe(true);
    expect(first.receipt.sha256).toBe(small.sha256);
    expect(second.receipt.bytes()).toEqual(large.bytes());
    expect(second.receipt.width).toBe(large.width);
    const [file, link] = second.pages;
    expect(file).toBeInstanceOf(File);
    expect((file as File).filename).toBe('note.txt');
    expect((link as Image).url).toBe('https://example.com/r.png');
    expect(back.note).toEqual({ $media: 'not media' });
  });

  it('returns a value without media as it is, and lifts media from toJSON objects and at the top', async () => {
    const plain = { a: [1, { b: 'c' }] };
    expect(liftMedia(plain, 10).json).toBe(plain);
    expect(liftMedia(plain, 10).media).toEqual([]);

    const image = await Image.fromBytes(png(2, 2, 9));
    const holder = { toJSON: () => ({ receipt: image }) };
    const { parsed } = throughText({ example: holder }, Number.POSITIVE_INFINITY);
    const back = (await restoreLiftedMedia(parsed.value, parsed.media, OPTIONS)) as {
      example: { receipt: Image };
    };
    expect(back.example.receipt.sha256).toBe(image.sha256);

    const top = throughText(image, Number.POSITIVE_INFINITY).parsed;
    expect(((await restoreLiftedMedia(top.value, top.media, OPTIONS)) as Image).sha256).toBe(image.sha256);
  });

  it('refuses changed bytes, an unreadable file, a malformed entry and a path that leads nowhere', async () => {
    const image = await Image.fromBytes(png(2, 2, 5));
    const { parsed } = throughText({ receipt: image }, Number.POSITIVE_INFINITY);
    const other = (await Image.fromBytes(png(2, 2, 6))).base64();
    const tampered = [{ ...parsed.media[0], media: { ...parsed.media[0].media, data: other } }];
    await expect(restoreLiftedMedia(parsed.value, tampered, OPTIONS)).rejects.toMatchObject({
      code: 'OPTIMIZER_INVALID',
      message: expect.stringContaining('record 1: its inline data of value.receipt does not match'),
      details: { fix: 'Start afresh.' },
    });

    const byFile = throughText({ receipt: image }, 0).parsed;
    await expect(restoreLiftedMedia(byFile.value, byFile.media, OPTIONS)).rejects.toThrow(
      /cannot be read here/,
    );
    const missing = () => Promise.reject(Object.assign(new Error('gone'), { code: 'ENOENT' }));
    await expect(
      restoreLiftedMedia(byFile.value, byFile.media, { ...OPTIONS, read: missing }),
    ).rejects.toThrow(/is missing/);

    const renamed = [{ ...byFile.media[0], media: { ...byFile.media[0].media, file: '../x.png' } }];
    await expect(restoreLiftedMedia(byFile.value, renamed, OPTIONS)).rejects.toThrow(/is malformed: 'file'/);
    const nowhere = [{ ...parsed.media[0], path: ['missing', 'receipt'] }];
    await expect(restoreLiftedMedia(parsed.value, nowhere, OPTIONS)).rejects.toThrow(
      /has no place in the value/,
    );
    const proto = [{ ...parsed.media[0], path: ['__proto__'] }];
    await expect(restoreLiftedMedia({}, proto, OPTIONS)).rejects.toThrow(/has no place/);
    await expect(restoreLiftedMedia({}, 'x', OPTIONS)).rejects.toThrow(/not an array/);
  });
});
