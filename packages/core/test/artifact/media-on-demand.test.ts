// On the web entry the code that checks and rebuilds media values of artifacts loads on first
// need (`loadArtifactMedia`); these tests import core's artifact modules without the server
// entry, which loads that code at start-up.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Artifact, type DspyError, Image, Media, Predict, toArtifact } from '@dspy-ts/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { png } from '../media/fixtures.js';

/** The artifact modules as the web entry has them: fresh, with no media code registered. */
async function webArtifacts() {
  vi.resetModules();
  const [io, apply, artifact, toArtifactModule, support] = await Promise.all([
    import('../../src/artifact/io.js'),
    import('../../src/artifact/apply.js'),
    import('../../src/artifact/artifact.js'),
    import('../../src/artifact/to-artifact.js'),
    import('../../src/artifact/media-support.js'),
  ]);
  return { ...io, ...apply, ...artifact, ...toArtifactModule, ...support };
}

async function mediaReader(): Promise<Predict> {
  const reader = new Predict('receipt: Image -> total: number');
  reader.demos = [{ receipt: await Image.fromBytes(png(4, 3, 7)), total: 12.5 }];
  return reader;
}

/** The error `run` throws (a DspyError of the fresh modules' copy of errors.ts). */
function thrown(run: () => unknown): DspyError {
  try {
    run();
  } catch (err) {
    expect((err as Error).name).toBe('DspyError');
    return err as DspyError;
  }
  throw new Error('expected an error');
}

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dspy-media-on-demand-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('media code of artifacts, loaded on demand', () => {
  it('parses, validates and applies artifacts without media before any media code is loaded', async () => {
    const web = await webArtifacts();
    const plain = new Predict('question -> answer');
    plain.demos = [{ question: 'Two plus two?', answer: 'four', sources: [{ page: 1 }] }];
    const text = JSON.stringify(toArtifact(plain));
    const artifact = web.parseArtifact(text, 'plain.json');
    expect(artifact.formatVersion).toBe(1);
    const target = new Predict('question -> answer');
    expect(web.applyArtifact(target, artifact).applied).toEqual(['self']);
    expect(target.demos[0]?.sources).toEqual([{ page: 1 }]);
    const made = web.toArtifact(target);
    expect(made.predictors.self?.demos).toEqual(artifact.predictors.self?.demos);
  });

  it('a synchronous API meeting media before the code is loaded says what to await', async () => {
    const web = await webArtifacts();
    const text = JSON.stringify(toArtifact(await mediaReader()));
    const parse = thrown(() => web.parseArtifact(text, 'receipts.json'));
    expect(parse.code).toBe('NOT_LOADED');
    expect(parse.message).toContain('receipts.json holds media values');
    expect(String(parse.details.fix)).toContain('await loadArtifactMedia()');
    const validate = thrown(() => web.validateArtifact(JSON.parse(text), 'receipts.json'));
    expect(validate.message).toContain('not loaded yet');
    const reader = await mediaReader();
    const store = thrown(() => web.toArtifact(reader));
    expect(store.message).toContain("toArtifact: predictor 'self' holds media values");
    await web.loadArtifactMedia();
    const artifact = web.parseArtifact(text, 'receipts.json');
    const target = new Predict('receipt: Image -> total: number');
    web.applyArtifact(target, artifact);
    const receipt = target.demos[0]?.receipt;
    expect(Media.isMedia(receipt)).toBe(true);
    expect((receipt as Media).sha256).toBe((reader.demos[0] as { receipt: Media }).receipt.sha256);
  });

  it('loadArtifact loads the media code itself, and applyArtifact can then rebuild the media', async () => {
    const web = await webArtifacts();
    const saved: Artifact = JSON.parse(JSON.stringify(toArtifact(await mediaReader())));
    const loaded = await web.loadArtifact(saved);
    const target = new Predict('receipt: Image -> total: number');
    web.applyArtifact(target, loaded);
    expect(Media.isMedia(target.demos[0]?.receipt)).toBe(true);
  });

  it('saveProgram loads the media code itself, then writes media and JSON', async () => {
    const web = await webArtifacts();
    const path = join(dir, 'receipts.json');
    await web.saveProgram(await mediaReader(), path, { mediaInlineLimit: 0 });
    const written = JSON.parse(await readFile(path, 'utf8')) as Artifact;
    expect(written.formatVersion).toBe(2);
    expect(Object.keys(written.predictors.self?.demos[0]?.receipt as object)).toContain('file');
    const back = await web.loadArtifact(path);
    expect(back.predictors.self?.demos[0]?.receipt).toHaveProperty('data');
    // An object whose media are in files: the resolver reads them (the files code loads itself).
    const fresh = await webArtifacts();
    const folder = join(dir, 'receipts.media');
    const resolved = await fresh.loadArtifact(written, {
      media: async (file) => new Uint8Array(await readFile(join(folder, file))),
    });
    expect(resolved.predictors.self?.demos[0]?.receipt).toHaveProperty('data');
  });
});
