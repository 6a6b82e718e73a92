import { readFileSync } from 'node:fs';
import { configure, Example, evaluate, type Metric, Predict, silentLogger } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { OfflineLM } from '@dspy-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BootstrapFewShot,
  BootstrapRS,
  type CompilableProgram,
  Ensemble,
  KNNFewShot,
  LabeledFewShot,
} from '../../src/index.js';
import { programState, runProgram } from '../../src/internal.js';

function load(name: string) {
  const text = readFileSync(new URL(`../data/${name}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => new Example(JSON.parse(line) as { text: string; label: string }).withInputs('text'));
}

const trainset = load('banking77-6.train.jsonl');
const heldOut = load('banking77-6.test.jsonl');
const labelMatches: Metric = (ex, pred) => pred.get('label') === ex.get('label');
const student = () => new Predict('text -> label');

async function score(program: CompilableProgram): Promise<number> {
  const runnable = { forward: (inputs: Record<string, unknown>) => runProgram(program, inputs) };
  const report = await evaluate(runnable, heldOut, (ex, pred) => pred.get('label') === ex.get('label'), {
    progress: false,
  });
  return report.score;
}

let baseline = 0;
beforeAll(async () => {
  configure({ lm: new OfflineLM(), logger: silentLogger });
  baseline = await score(student());
});
afterAll(() => resetSettings());

describe('with OfflineLM on a Banking77 subset, each compiled program beats zero-shot on held-out data', () => {
  it('has a weak baseline', () => {
    expect(baseline).toBeLessThan(40);
  });

  it('LabeledFewShot', async () => {
    const { program } = await new LabeledFewShot({ k: 16 }).compile(student(), { trainset });
    expect(await score(program)).toBeGreaterThan(baseline);
  });

  it('BootstrapFewShot', async () => {
    const { program, report } = await new BootstrapFewShot({ metric: labelMatches }).compile(student(), {
      trainset,
    });
    expect(report.candidates[0]?.extra).toMatchObject({ bootstrapped: 4 });
    expect(await score(program)).toBeGreaterThan(baseline);
  });

  it('BootstrapRS', async () => {
    const { program, report } = await new BootstrapRS({
      metric: labelMatches,
      numCandidatePrograms: 3,
    }).compile(student(), { trainset: trainset.slice(0, 32), valset: trainset.slice(32) });
    expect(report.bestScore).toBeGreaterThan(report.baselineScore ?? 100);
    expect(await score(program)).toBeGreaterThan(baseline);
  });

  it('KNNFewShot (raw neighbours and bootstrapped)', async () => {
    const raw = await new KNNFewShot({ k: 6 }).compile(student(), { trainset });
    expect(await score(raw.program)).toBeGreaterThan(baseline);
    const boot = await new KNNFewShot({ k: 6, bootstrap: true, metric: labelMatches }).compile(student(), {
      trainset,
    });
    expect(boot.report.dspyImpliedCalls.calls).toBe(trainset.length);
    expect(await score(boot.program)).toBeGreaterThan(baseline);
  });

  it('Ensemble', async () => {
    const a = await new LabeledFewShot({ k: 16, seed: 1 }).compile(student(), { trainset });
    const b = await new LabeledFewShot({ k: 16, seed: 2 }).compile(student(), { trainset });
    const c = await new LabeledFewShot({ k: 16, seed: 3 }).compile(student(), { trainset });
    const { program } = new Ensemble().compile([a.program, b.program, c.program]);
    expect(await score(program)).toBeGreaterThan(baseline);
  });
});

describe('the student is never mutated', () => {
  it('by LabeledFewShot, BootstrapFewShot, BootstrapRS and KNNFewShot', async () => {
    const given = student();
    given.demos = [trainset[0]?.toJSON() ?? {}];
    const before = JSON.stringify(programState(given));
    const small = trainset.slice(0, 12);
    const compiled = [
      (await new LabeledFewShot({ k: 4 }).compile(given, { trainset: small })).program,
      (await new BootstrapFewShot({ metric: labelMatches }).compile(given, { trainset: small })).program,
      (
        await new BootstrapRS({ metric: labelMatches, numCandidatePrograms: 2 }).compile(given, {
          trainset: small,
        })
      ).program,
      (await new KNNFewShot({ k: 3 }).compile(given, { trainset: small })).program,
    ];
    expect(JSON.stringify(programState(given))).toBe(before);
    for (const program of compiled) expect(program).not.toBe(given);
  });
});
