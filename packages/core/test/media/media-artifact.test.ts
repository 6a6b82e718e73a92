import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Artifact,
  Audio,
  applyArtifact,
  DspyError,
  File,
  Image,
  importDspyState,
  loadArtifact,
  Media,
  Predict,
  parseArtifact,
  saveArtifact,
  toArtifact,
} from '@dspy-ts/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bigPng, pdf, png, wav } from './fixtures.js';

const SIGNATURE = 'receipt: Image, memo: Audio, scan: File -> total: number';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dspy-media-artifact-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A reader with one demo of each media kind (all small) and one demo with a large image. */
async function reader(large = 100_000) {
  const r = new Predict(SIGNATURE);
  r.demos = [
    {
      receipt: await Image.fromBytes(png(4, 3, 7)),
      memo: await Audio.fromBytes(wav()),
      scan: await File.fromBytes(pdf(), undefined, { filename: 'scan.pdf' }),
      total: 12.5,
    },
    {
      receipt: await Image.fromBytes(bigPng(large)),
      memo: Audio.fromUrl('https://example.com/memo.wav'),
      scan: File.fromUrl('https://example.com/docs/scan.pdf'),
      total: 99,
    },
  ];
  return r;
}

async function errorOf(promise: Promise<unknown>): Promise<DspyError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DspyError);
  return err as DspyError;
}

/** The large image of the second demo of {@link reader}. */
function largeImage(r: Predict): Image {
  return (r.demos[1] as { receipt: Image }).receipt;
}

function media(value: unknown): Media {
  expect(Media.isMedia(value)).toBe(true);
  return value as Media;
}

/** Checks that `loaded` holds the same media (bytes, hash, type, name) as `saved`. */
function expectSameDemos(loaded: Predict, saved: Predict) {
  expect(loaded.demos).toHaveLength(saved.demos.length);
  for (const [i, demo] of saved.demos.entries()) {
    const back = loaded.demos[i] as Record<string, unknown>;
    expect(back.total).toBe(demo.total);
    for (const field of ['receipt', 'memo', 'scan']) {
      const a = media(demo[field]);
      const b = media(back[field]);
      expect(b).not.toBe(a);
      expect(b.kind).toBe(a.kind);
      expect(b.sha256).toBe(a.sha256);
      expect(b.mimeType).toBe(a.mimeType);
      expect(b.url).toBe(a.url);
      expect(b.filename).toBe(a.filename);
      expect(b.width).toBe(a.width);
      expect(b.textView()).toBe(a.textView());
      const [x, y] = [a.bytes(), b.bytes()];
      expect(y === undefined ? undefined : Buffer.from(y).equals(Buffer.from(x ?? []))).toBe(
        x === undefined ? undefined : true,
      );
      expect(y?.constructor).toBe(x?.constructor);
    }
  }
}

describe('demos with media survive save and load', () => {
  it('stores small media inline and a large one as a content-addressed file beside the artifact', async () => {
    const saved = await reader();
    const path = join(dir, 'reader.artifact.json');
    await saved.save(path);
    const json = JSON.parse(await readFile(path, 'utf8'));
    expect(json.formatVersion).toBe(2);
    const [small, large] = json.predictors.self.demos;
    expect(small.receipt).toMatchObject({
      $media: 'image',
      mimeType: 'image/png',
      byteLength: png(4, 3, 7).length,
    });
    expect(small.receipt.data).toBe(Buffer.from(png(4, 3, 7)).toString('base64'));
    expect(small.memo).toMatchObject({ $media: 'audio', mimeType: 'audio/wav' });
    expect(small.scan).toMatchObject({ $media: 'file', mimeType: 'application/pdf', filename: 'scan.pdf' });
    const sha = largeImage(saved).sha256;
    expect(large.receipt).toEqual({
      $media: 'image',
      mimeType: 'image/png',
      sha256: sha,
      byteLength: largeImage(saved).byteLength,
      file: `${sha}.png`,
    });
    expect(large.memo).toEqual({ $media: 'audio', url: 'https://example.com/memo.wav' });
    expect(large.scan).toEqual({
      $media: 'file',
      filename: 'scan.pdf',
      url: 'https://example.com/docs/scan.pdf',
    });
    expect(await readdir(join(dir, 'reader.artifact.media'))).toEqual([`${sha}.png`]);
    const onDisk = await readFile(join(dir, 'reader.artifact.media', `${sha}.png`));
    expect(new Uint8Array(onDisk)).toEqual(largeImage(saved).bytes());

    const loaded = await new Predict(SIGNATURE).load(path);
    expectSameDemos(loaded, saved);
    // The loaded artifact holds every media value inline, so it can be saved anywhere else.
    const artifact = await loadArtifact(path);
    expect(artifact.predictors.self?.demos[1]?.receipt).toMatchObject({
      sha256: sha,
      data: expect.any(String),
    });
    await saveArtifact(artifact, join(dir, 'copy', 'again.json'), {
      mediaInlineLimit: Number.POSITIVE_INFINITY,
    });
    await expect(stat(join(dir, 'copy', 'again.media'))).rejects.toThrow();
    expectSameDemos(await new Predict(SIGNATURE).load(join(dir, 'copy', 'again.json')), saved);
  });

  it('follows mediaInlineLimit, and removes media files the new artifact no longer refers to', async () => {
    const saved = await reader(20_000);
    const path = join(dir, 'r.json');
    await saved.save(path, { mediaInlineLimit: 0 });
    const files = await readdir(join(dir, 'r.media'));
    expect(files.sort()).toHaveLength(4); // the URL-only media have no file
    for (const f of files) expect(f).toMatch(/^[0-9a-f]{64}\.(png|wav|pdf)$/);
    expectSameDemos(await new Predict(SIGNATURE).load(path), saved);

    await saved.save(path); // default 64 kB: all inline now
    await expect(stat(join(dir, 'r.media'))).rejects.toThrow();
    expect(JSON.stringify(JSON.parse(await readFile(path, 'utf8')))).not.toContain('"file":"');
    expectSameDemos(await new Predict(SIGNATURE).load(path), saved);

    await expect(saved.save(path, { mediaInlineLimit: -1 })).rejects.toMatchObject({
      code: 'OPTION_INVALID',
    });
  });

  it('keeps text-only artifacts at format version 1, which older readers load', async () => {
    const qa = new Predict('question -> answer');
    qa.demos = [{ question: 'q', answer: 'a', note: { $media: 'not media in a v1 artifact' } }];
    expect(() => toArtifact(qa)).toThrow(
      "predictor 'self' demo 0 field 'note' is a plain object with a '$media' key, which artifacts reserve for media.",
    );
    qa.demos = [{ question: 'q', answer: 'a' }];
    expect(toArtifact(qa).formatVersion).toBe(1);
  });

  it('loads media nested in arrays and objects', async () => {
    const r = new Predict('pages: Image[] -> n: number');
    r.demos = [{ pages: [await Image.fromBytes(png(2, 2, 1)), await Image.fromBytes(png(2, 2, 2))], n: 2 }];
    const path = join(dir, 'pages.json');
    await r.save(path, { mediaInlineLimit: 0 });
    const back = await new Predict('pages: Image[] -> n: number').load(path);
    const pages = back.demos[0]?.pages as Image[];
    expect(pages.map((p) => p.sha256)).toEqual((r.demos[0] as { pages: Image[] }).pages.map((p) => p.sha256));
  });
});

describe('loading verifies every media value', () => {
  async function savedLarge() {
    const saved = await reader();
    const path = join(dir, 'reader.json');
    await saved.save(path);
    const sha = largeImage(saved).sha256 as string;
    return { saved, path, file: join(dir, 'reader.media', `${sha}.png`), sha };
  }

  it('rejects a tampered media file, naming the demo, the field and the file, and changes nothing', async () => {
    const { path, file } = await savedLarge();
    const bytes = await readFile(file);
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0xff;
    await writeFile(file, bytes);
    const target = new Predict(SIGNATURE);
    const err = await errorOf(target.load(path));
    expect(err.code).toBe('ARTIFACT_INVALID');
    expect(err.message).toContain("predictor 'self' demo 1 field 'receipt'");
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/does not match its SHA-256/);
    expect(err.details.fix).toMatch(/restore/);
    expect(target.demos).toEqual([]);

    await writeFile(file, bytes.subarray(0, 100));
    expect((await errorOf(target.load(path))).message).toMatch(/has 100 bytes, but \d+ were saved/);
  });

  it('rejects tampered inline data', async () => {
    const { path } = await savedLarge();
    const json = JSON.parse(await readFile(path, 'utf8'));
    const data = Buffer.from(json.predictors.self.demos[0].memo.data, 'base64');
    data[50] = (data[50] ?? 0) ^ 1;
    json.predictors.self.demos[0].memo.data = data.toString('base64');
    await writeFile(path, JSON.stringify(json));
    const err = await errorOf(loadArtifact(path));
    expect(err.message).toContain("predictor 'self' demo 0 field 'memo'");
    expect(err.message).toMatch(/inline media data does not match its SHA-256/);
    // The same check runs where no file system is involved.
    expect(() => parseArtifact(JSON.stringify(json), 'x.json')).toThrow(/field 'memo'/);
  });

  it('checks again a loaded value whose hash was edited afterwards', async () => {
    const { path } = await savedLarge();
    const loaded = (await loadArtifact(path)) as unknown as {
      predictors: { self: { demos: Record<string, Record<string, unknown>>[] } };
    };
    const receipt = loaded.predictors.self.demos[0]?.receipt as Record<string, unknown>;
    receipt.sha256 = '0'.repeat(64);
    expect(() => applyArtifact(new Predict(SIGNATURE), loaded as unknown as Artifact)).toThrow(
      /demo 0 field 'receipt': the inline media data does not match its SHA-256/,
    );
  });

  it('reports a missing media file', async () => {
    const { path, file } = await savedLarge();
    await rm(file);
    const err = await errorOf(new Predict(SIGNATURE).load(path));
    expect(err.code).toBe('ARTIFACT_INVALID');
    expect(err.message).toContain("predictor 'self' demo 1 field 'receipt'");
    expect(err.message).toContain(`media file '${file}' is missing`);
    expect(err.details.fix).toMatch(/copy the media folder/);
  });

  it('never reads outside the media folder: traversal, absolute paths, separators, other names, links', async () => {
    const { path, sha } = await savedLarge();
    const original = await readFile(path, 'utf8');
    await writeFile(join(dir, 'secret.png'), bigPng(100_000));
    const bad = [
      `../secret.png`,
      `../${sha}.png`,
      join(dir, `${sha}.png`),
      `sub/${sha}.png`,
      `sub\\${sha}.png`,
      `${sha}.png/..`,
      `${sha}.jpg`,
      `${'0'.repeat(64)}.png`,
      `${sha.toUpperCase()}.png`,
      '',
    ];
    for (const file of bad) {
      const json = JSON.parse(original);
      json.predictors.self.demos[1].receipt.file = file;
      const err = await errorOf(loadArtifact(json));
      expect(err.code).toBe('ARTIFACT_INVALID');
      expect(err.message).toContain("predictor 'self' demo 1 field 'receipt'");
      expect(err.message).toMatch(/'file' must be exactly '<sha256>\.<ext>'/);
      await writeFile(path, JSON.stringify(json));
      expect((await errorOf(loadArtifact(path))).message).toMatch(/must be exactly/);
    }
    // A link in the media folder is not followed, even to the right bytes.
    await writeFile(path, original);
    const file = join(dir, 'reader.media', `${sha}.png`);
    await writeFile(join(dir, 'elsewhere.png'), await readFile(file));
    await rm(file);
    await symlink(join(dir, 'elsewhere.png'), file);
    expect((await errorOf(loadArtifact(path))).message).toMatch(/not a regular file/);
    await rm(file);
    await mkdir(file);
    expect((await errorOf(loadArtifact(path))).message).toMatch(/not a regular file/);
  });

  it('lists malformed media values with the schema problems', async () => {
    const artifact = JSON.parse(JSON.stringify(toArtifact(await reader(1000)))) as {
      predictors: { self: { demos: Record<string, Record<string, unknown>>[] } };
    };
    const demo = artifact.predictors.self.demos[0] as Record<string, Record<string, unknown>>;
    demo.receipt = { ...demo.receipt, mimeType: 'image/svg+xml', extra: 1 };
    demo.memo = { ...demo.memo, url: 'https://example.com/a.wav' };
    demo.scan = { $media: 'video', data: '' };
    const err = await errorOf(loadArtifact(artifact));
    expect(err.message).toContain("field 'receipt': 'mimeType' must be one of image/png");
    expect(err.message).toContain("field 'receipt': unknown media property 'extra'");
    expect(err.message).toContain("field 'memo': a media value has exactly one of 'data', 'file' or 'url'");
    expect(err.message).toContain(`field 'scan': '$media' must be 'image', 'audio' or 'file'`);
  });
});

describe('loading without a file system (an artifact object or text)', () => {
  it('loads inline media from an object and from text, with no Node built-in at hand', async () => {
    const saved = await reader(1000);
    const artifact = JSON.parse(JSON.stringify(toArtifact(saved))) as Artifact;
    const text = JSON.stringify(artifact);
    // As in a browser: core finds no Node built-in (fs, path, crypto), so hashing is pure JS.
    const noBuiltins = vi.spyOn(process, 'getBuiltinModule').mockReturnValue(undefined as never);
    try {
      expectSameDemos(await new Predict(SIGNATURE).load(artifact), saved);
      expectSameDemos(await new Predict(SIGNATURE).load(parseArtifact(text, 'bundled.json')), saved);
      // applyArtifact on its own (e.g. an artifact sent to a worker) checks the bytes too.
      const direct = new Predict(SIGNATURE);
      applyArtifact(direct, JSON.parse(text));
      expectSameDemos(direct, saved);
      const tampered = JSON.parse(text);
      tampered.predictors.self.demos[0].receipt.data = Buffer.from(png(4, 3, 8)).toString('base64');
      const untouched = new Predict(SIGNATURE);
      expect(() => applyArtifact(untouched, tampered)).toThrow(
        /demo 0 field 'receipt': the inline media data/,
      );
      expect(untouched.demos).toEqual([]);
      expect(noBuiltins).toHaveBeenCalled();
    } finally {
      noBuiltins.mockRestore();
    }
  });

  it('needs a media resolver for media stored in files, and verifies what it gives', async () => {
    const saved = await reader();
    const path = join(dir, 'web.json');
    await saved.save(path);
    const object = JSON.parse(await readFile(path, 'utf8'));
    const err = await errorOf(new Predict(SIGNATURE).load(object));
    expect(err.code).toBe('ARTIFACT_INVALID');
    expect(err.message).toContain("predictor 'self' demo 1 field 'receipt' is stored in the media file");
    expect(err.details.fix).toMatch(/\{ media: \(file\) => bytes \}/);
    expect(() => parseArtifact(JSON.stringify(object))).toThrow(/no media folder or resolver/);

    const asked: string[] = [];
    const media = async (file: string) => {
      asked.push(file);
      return new Uint8Array(await readFile(join(dir, 'web.media', file)));
    };
    expectSameDemos(await new Predict(SIGNATURE).load(object, { media }), saved);
    expect(asked).toEqual([`${largeImage(saved).sha256}.png`]);

    const notFn = await errorOf(loadArtifact(object, { media: 'web.media/' as never }));
    expect(notFn.code).toBe('OPTION_INVALID');
    const wrong = await errorOf(loadArtifact(object, { media: () => png(2, 2) }));
    expect(wrong.message).toMatch(/field 'receipt': media file '[0-9a-f]{64}\.png' has \d+ bytes/);
  });
});

describe('importing a Python DSPy state whose demos hold media', () => {
  it("reads DSPy's Image, Audio and File values as media, and saves them in an artifact", async () => {
    const image = png(3, 2, 5);
    const dspyState = {
      traces: [],
      train: [],
      demos: [
        {
          receipt: { url: `data:image/png;base64,${Buffer.from(image).toString('base64')}` },
          memo: { data: Buffer.from(wav()).toString('base64'), audio_format: 'wav' },
          scan: {
            file_data: `data:application/pdf;base64,${Buffer.from(pdf()).toString('base64')}`,
            filename: 'a.pdf',
          },
          total: 7,
        },
        { receipt: { url: 'https://example.com/r.png' }, memo: 'not audio', scan: {}, total: 8 },
      ],
      signature: { instructions: 'Read the total.', fields: [] },
      lm: null,
      metadata: { dependency_versions: { python: '3.12', dspy: '3.0.3', cloudpickle: '3.1' } },
    };
    const target = new Predict(SIGNATURE);
    const report = importDspyState(dspyState, target);
    const [first, second] = target.demos as Record<string, unknown>[];
    const receipt = media(first?.receipt);
    expect(receipt).toBeInstanceOf(Image);
    expect(receipt.sha256).toBe((await Image.fromBytes(image)).sha256);
    expect([receipt.width, receipt.height]).toEqual([3, 2]);
    expect(media(first?.memo)).toMatchObject({ kind: 'audio', mimeType: 'audio/wav' });
    expect(media(first?.scan)).toMatchObject({
      kind: 'file',
      mimeType: 'application/pdf',
      filename: 'a.pdf',
    });
    expect(media(second?.receipt).url).toBe('https://example.com/r.png');
    expect(second?.memo).toBe('not audio');
    expect(report.warnings.join('\n')).toMatch(/'memo' does not read as DSPy's audio/);

    const path = join(dir, 'imported.json');
    await target.save(path);
    const back = await new Predict(SIGNATURE).load(path);
    expect(media(back.demos[0]?.receipt).sha256).toBe(receipt.sha256);
  });
});
