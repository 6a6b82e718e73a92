import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  configure,
  Example,
  Image,
  type LMRequest,
  type LMResponse,
  type Metric,
  Predict,
  silentLogger,
} from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { OfflineLM } from '@dspy-ts/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bigPng, png } from '../../../core/test/media/fixtures.js';
import { BootstrapRS } from '../../src/index.js';
import { Checkpoint, checkpointMediaFolder } from '../../src/internal.js';

const SIGNATURE = 'receipt: Image, question -> total: number';

/** Receipts as images: every third one small (inline in the checkpoint), the others over 64 kB (media files). */
async function receipts(count: number): Promise<Example[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, n) => {
      const receipt = await Image.fromBytes(n % 3 === 0 ? png(4, 4, n + 1) : bigPng(70_000 + 3_000 * n));
      return new Example({ receipt, question: 'What is the total?', total: 10 + n }).withInputs(
        'receipt',
        'question',
      );
    }),
  );
}

// OfflineLM only recognises an image it saw in a demo, and the teacher's demos hide the example
// being bootstrapped: any number passes (half marks), the right one scores full.
const metric: Metric = (ex, pred) =>
  pred.get('total') === ex.get('total') ? 1 : typeof pred.get('total') === 'number' ? 0.5 : 0;
const options = { metric, numCandidatePrograms: 3, maxBootstrappedDemos: 3, maxLabeledDemos: 2, seed: 0 };
let dir = '';
let trainset: Example[] = [];

/** The saved artifact's JSON and its media files, to compare two runs byte for byte. */
async function saved(
  program: Predict,
  name: string,
): Promise<{ json: string; media: Record<string, string> }> {
  const path = join(dir, `${name}.json`);
  await program.save(path);
  const folder = join(dir, `${name}.media`);
  const media: Record<string, string> = {};
  for (const f of await readdir(folder).catch(() => [] as string[]))
    media[f] = (await readFile(join(folder, f))).toString('base64');
  // The provenance names no run-specific path or time, so the two JSON texts compare whole.
  return { json: await readFile(path, 'utf8'), media };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dspy-media-ckpt-'));
  trainset = await receipts(8);
});
beforeEach(() => configure({ lm: new OfflineLM(), logger: silentLogger, numThreads: 1 }));
afterAll(async () => {
  resetSettings();
  await rm(dir, { recursive: true, force: true });
});

describe('a checkpointed compile on an image signature', () => {
  it('stopped by its budget and resumed gives the artifact of an uninterrupted run', async () => {
    const valset = trainset.slice(0, 4);
    const full = await new BootstrapRS(options).compile(new Predict(SIGNATURE), { trainset, valset });
    expect(full.program.demos.some((d) => d.augmented === true)).toBe(true);
    const expected = await saved(full.program, 'full');
    expect(Object.keys(expected.media).length).toBeGreaterThan(0);

    const checkpoint = join(dir, 'budget.ckpt.jsonl');
    const stopped = await new BootstrapRS({ ...options, maxLMCalls: 14 }).compile(new Predict(SIGNATURE), {
      trainset,
      valset,
      checkpoint,
    });
    expect(stopped.report.stoppedBy).toBe('budget');

    // The bootstrapped demos are in the checkpoint: small receipts inline, large ones as files.
    const lines = (await readFile(checkpoint, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const media = lines.flatMap(
      (l) => (l.media ?? []) as { path: unknown[]; media: Record<string, unknown> }[],
    );
    expect(media.some((m) => typeof m.media.data === 'string')).toBe(true);
    const files = media.flatMap((m) => (typeof m.media.file === 'string' ? [m.media.file] : []));
    expect(files.length).toBeGreaterThan(0);
    expect((await readdir(checkpointMediaFolder(checkpoint))).sort()).toEqual([...new Set(files)].sort());

    const resumed = await new BootstrapRS(options).compile(new Predict(SIGNATURE), {
      trainset,
      valset,
      checkpoint,
      resume: true,
    });
    expect(resumed.report.stoppedBy).toBe('completed');
    expect(resumed.report.resumedSteps).toBeGreaterThan(0);
    expect(resumed.program.demos.every((d) => Image.isMedia(d.receipt))).toBe(true);
    expect(await saved(resumed.program, 'resumed')).toEqual(expected);
    expect(resumed.report.candidates.map((c) => c.score)).toEqual(full.report.candidates.map((c) => c.score));
  }, 60_000);

  it('aborted and resumed gives the artifact of an uninterrupted run', async () => {
    const valset = trainset.slice(4);
    const full = await new BootstrapRS(options).compile(new Predict(SIGNATURE), { trainset, valset });
    const expected = await saved(full.program, 'full-abort');

    const checkpoint = join(dir, 'abort.ckpt.jsonl');
    const stop = new AbortController();
    let calls = 0;
    class Interrupted extends OfflineLM {
      override call(request: LMRequest): Promise<LMResponse> {
        if (++calls === 12) stop.abort(new Error('Ctrl-C'));
        return super.call(request);
      }
    }
    const lm = new Interrupted();
    configure({ lm, logger: silentLogger, numThreads: 1 });
    await expect(
      new BootstrapRS(options).compile(new Predict(SIGNATURE), {
        trainset,
        valset,
        checkpoint,
        signal: stop.signal,
      }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    expect((await readFile(checkpoint, 'utf8')).includes('"$media":"image"')).toBe(true);

    configure({ lm: new OfflineLM(), logger: silentLogger, numThreads: 1 });
    const resumed = await new BootstrapRS(options).compile(new Predict(SIGNATURE), {
      trainset,
      valset,
      checkpoint,
      resume: true,
    });
    expect(resumed.report.resumedSteps).toBeGreaterThan(0);
    expect(await saved(resumed.program, 'resumed-abort')).toEqual(expected);
  }, 60_000);

  it('refuses to resume when a media file beside the checkpoint was changed or removed', async () => {
    const checkpoint = join(dir, 'tamper.ckpt.jsonl');
    const big = await Image.fromBytes(bigPng(70_001));
    const small = await Image.fromBytes(png(2, 2, 7));
    const open = () =>
      Checkpoint.open({ path: checkpoint, resume: true, optimizer: 'BootstrapRS', fingerprint: 'f' });
    const cp = await open();
    await cp.put('step:0', {
      ok: true,
      demos: {
        self: [
          { receipt: big, total: 1 },
          { receipt: small, total: 2 },
        ],
      },
    });
    await cp.flush();

    const back = (await open()).get<{ demos: { self: { receipt: Image }[] } }>('step:0');
    expect(back?.demos.self.map((d) => d.receipt.sha256)).toEqual([big.sha256, small.sha256]);
    expect(back?.demos.self.every((d) => Image.isMedia(d.receipt))).toBe(true);

    const folder = checkpointMediaFolder(checkpoint);
    const [file] = await readdir(folder);
    await writeFile(join(folder, file as string), bigPng(90_000));
    await expect(open()).rejects.toMatchObject({
      code: 'OPTIMIZER_INVALID',
      message: expect.stringMatching(
        /line 2: media file '[0-9a-f]{64}\.png' of value\.demos\.self\[0\]\.receipt does not match/,
      ),
    });
    await rm(join(folder, file as string));
    await expect(open()).rejects.toMatchObject({
      code: 'OPTIMIZER_INVALID',
      message: expect.stringContaining('is missing'),
    });
    // A run started afresh on the same path empties the media folder (its files were that run's).
    const fresh = await Checkpoint.open({ path: checkpoint, optimizer: 'BootstrapRS', fingerprint: 'f' });
    expect(fresh.size).toBe(0);
    await expect(readdir(folder)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
