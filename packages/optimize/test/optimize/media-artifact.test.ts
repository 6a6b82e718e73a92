import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { configure, Example, evaluate, Image, type Metric, Predict, silentLogger } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { OfflineLM } from '@dspy-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigPng, png } from '../../../core/test/media/fixtures.js';
import { BootstrapRS } from '../../src/index.js';

const SIGNATURE = 'receipt: Image, question -> total: number';

/** Receipts as images: small ones (stored inline) and large ones (stored in files). */
async function receipts(count: number, offset: number): Promise<Example[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const n = offset + i;
      // Odd ones are incompressible PNGs over the 64 kB inline limit (sizes differ, so hashes do).
      const receipt = await Image.fromBytes(n % 2 === 0 ? png(4, 4, n + 1) : bigPng(70_000 + 3_000 * n));
      return new Example({ receipt, question: 'What is the total?', total: 10 + n }).withInputs(
        'receipt',
        'question',
      );
    }),
  );
}

const metric: Metric = (ex, pred) => pred.get('total') === ex.get('total');
let dir = '';
beforeAll(async () => {
  configure({ lm: new OfflineLM(), logger: silentLogger });
  dir = await mkdtemp(join(tmpdir(), 'dspy-media-compile-'));
});
afterAll(async () => {
  resetSettings();
  await rm(dir, { recursive: true, force: true });
});

describe('a program compiled on a media signature', () => {
  it('saves its media demos (inline and in files) and loads them back, in this process and a fresh one', async () => {
    const trainset = await receipts(8, 0);
    // The validation receipts are training receipts: OfflineLM only recognises images it saw in a demo.
    const { program } = await new BootstrapRS({ metric, numCandidatePrograms: 3, seed: 0 }).compile(
      new Predict(SIGNATURE),
      { trainset, valset: trainset.slice(0, 4) },
    );
    const demos = program.demos;
    expect(demos.length).toBeGreaterThan(0);
    expect(demos.every((d) => Image.isMedia(d.receipt))).toBe(true);

    const path = join(dir, 'reader.json');
    await program.save(path);
    const json = JSON.parse(await readFile(path, 'utf8'));
    expect(json.formatVersion).toBe(2);
    expect(json.provenance.optimizer.name).toBe('BootstrapFewShotWithRandomSearch');
    const stored = json.predictors.self.demos.map((d: { receipt: Record<string, unknown> }) => d.receipt);
    const inFiles = stored.filter((r: { file?: string }) => r.file !== undefined);
    expect(stored.some((r: { data?: string }) => r.data !== undefined)).toBe(true);
    expect(inFiles.length).toBeGreaterThan(0);
    expect((await readdir(join(dir, 'reader.media'))).sort()).toEqual(
      [...new Set(inFiles.map((r: { file: string }) => r.file))].sort(),
    );

    // Reloaded, the program recognises the demo receipts (OfflineLM matches identical images).
    const loaded = await new Predict(SIGNATURE).load(path);
    expect(loaded.demos.map((d) => (d.receipt as Image).sha256)).toEqual(
      demos.map((d) => (d.receipt as Image).sha256),
    );
    const seen = trainset.filter((ex) =>
      demos.some((d) => (d.receipt as Image).sha256 === (ex.get('receipt') as Image).sha256),
    );
    const report = await evaluate(loaded, seen, metric, { progress: false });
    expect(report.score).toBe(100);

    // A fresh Node process loads the same artifact with its media folder.
    const script = `import { Predict } from '@dspy-ts/core';
const p = await new Predict(${JSON.stringify(SIGNATURE)}).load(${JSON.stringify(path)});
console.log(JSON.stringify(p.demos.map((d) => d.receipt.sha256)));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@dspy-ts/source', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: join(import.meta.dirname, '..', '..') },
    );
    expect(JSON.parse(stdout.trim())).toEqual(demos.map((d) => (d.receipt as Image).sha256));
  }, 60_000);
});
