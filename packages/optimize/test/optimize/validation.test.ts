import { configure, Example, type Metric, Predict, silentLogger } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BootstrapFewShot,
  BootstrapRS,
  Ensemble,
  KNNFewShot,
  LabeledFewShot,
  type TrainExample,
} from '../../src/index.js';
import { examples, outputMatches, simpleProgram } from './helpers.js';

let lm: ScriptedLM;
beforeEach(() => {
  lm = new ScriptedLM(() => ({ output: 'x' }));
  configure({ lm, logger: silentLogger });
});
afterEach(() => {
  expect(lm.requests).toHaveLength(0);
  resetSettings();
});

const trainset = examples([
  ['alpha', 'A'],
  ['bravo', 'B'],
  ['charlie', 'C'],
]);

async function invalid(
  run: () => Promise<unknown>,
  message: RegExp,
  code: 'OPTIMIZER_INVALID' | 'METRIC_ERROR' = 'OPTIMIZER_INVALID',
): Promise<void> {
  const err = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ code });
  expect((err as Error).message).toMatch(message);
  expect((err as { details: { fix?: string } }).details.fix).toBeTruthy();
}

describe('validation before any LM call', () => {
  it('empty trainset', async () => {
    await invalid(
      () => new BootstrapFewShot({ metric: outputMatches }).compile(simpleProgram(), { trainset: [] }),
      /trainset is empty/,
    );
  });

  it('examples without input keys', async () => {
    const bare = [new Example({ input: 'a', output: 'b' })];
    await invalid(
      () => new BootstrapRS({ metric: outputMatches }).compile(simpleProgram(), { trainset: bare }),
      /trainset\[0\] has no input keys/,
    );
  });

  it('examples missing a field marked as input', async () => {
    const bad = [
      ...trainset,
      new Example({ question: 'a', output: 'b' } as Record<string, unknown>).withInputs('input'),
    ];
    await invalid(
      () => new BootstrapRS({ metric: outputMatches }).compile(simpleProgram(), { trainset: bad }),
      /trainset\[3\] marks 'input' as an input but has no such field/,
    );
  });

  it('inputs that lack a field the signature requires', async () => {
    const other = [new Example({ question: 'a', output: 'b' }).withInputs('question')];
    await invalid(
      () => new BootstrapFewShot({ metric: outputMatches }).compile(simpleProgram(), { trainset: other }),
      /lack 'input', required by predictor 'self'/,
    );
  });

  it('inconsistent input keys', async () => {
    const mixed: TrainExample[] = [
      ...trainset,
      new Example({ input: 'a', extra: 'e', output: 'b' }).withInputs('input', 'extra'),
    ];
    await invalid(
      () => new BootstrapRS({ metric: outputMatches }).compile(simpleProgram(), { trainset: mixed }),
      /has inputs \[input, extra\] but trainset\[0\] has \[input\]/,
    );
  });

  it('a metric that throws', async () => {
    const metric: Metric = () => {
      throw new Error('boom');
    };
    await invalid(
      () => new BootstrapRS({ metric }).compile(simpleProgram(), { trainset }),
      /metric failed on trainset\[0\].*boom/,
      'METRIC_ERROR',
    );
  });

  it('a metric that returns NaN', async () => {
    const metric: Metric = () => Number.NaN;
    await invalid(
      () => new BootstrapFewShot({ metric }).compile(simpleProgram(), { trainset }),
      /NaN, not a finite number/,
      'METRIC_ERROR',
    );
  });

  it('a missing metric', async () => {
    await invalid(() => new BootstrapFewShot({}).compile(simpleProgram(), { trainset }), /metric is missing/);
  });

  it('k larger than the data', async () => {
    await invalid(
      () => new LabeledFewShot({ k: 5 }).compile(simpleProgram(), { trainset }),
      /k is 5.*3 examples/,
    );
    await invalid(() => new KNNFewShot({ k: 4 }).compile(simpleProgram(), { trainset }), /k is 4/);
  });

  it('bad numeric options', async () => {
    await invalid(
      () =>
        new BootstrapFewShot({ metric: outputMatches, maxRounds: 0 }).compile(simpleProgram(), { trainset }),
      /maxRounds is 0/,
    );
    await invalid(
      () =>
        new BootstrapRS({ metric: outputMatches, numCandidatePrograms: -1 }).compile(simpleProgram(), {
          trainset,
        }),
      /numCandidatePrograms is -1/,
    );
    await invalid(
      () => new BootstrapRS({ metric: outputMatches, numThreads: 0 }).compile(simpleProgram(), { trainset }),
      /numThreads is 0/,
    );
    await invalid(
      () => new BootstrapRS({ metric: outputMatches, maxCost: -1 }).compile(simpleProgram(), { trainset }),
      /maxCost/,
    );
  });

  it('resume without a checkpoint file', async () => {
    await invalid(
      () => new BootstrapRS({ metric: outputMatches }).compile(simpleProgram(), { trainset, resume: true }),
      /resume needs a checkpoint/,
    );
  });

  it('a program without predictors', async () => {
    const empty = {
      forward: async () => ({}),
      namedPredictors: () => [],
      clone() {
        return { ...this };
      },
    };
    await invalid(() => new LabeledFewShot().compile(empty, { trainset }), /no predictors/);
  });

  it('an empty or oversized ensemble', () => {
    expect(() => new Ensemble().compile([])).toThrow(/no programs/);
    expect(() => new Ensemble({ size: 3 }).compile([new Predict('input -> output')])).toThrow(/size is 3/);
  });
});

describe('metric checked as results come', () => {
  it('a metric that returns NaN during the search fails clearly', async () => {
    lm = new ScriptedLM(() => ({ output: 'x' }));
    configure({ lm, logger: silentLogger });
    const metric: Metric = (_ex, pred) => (pred.get('output') === 'x' ? Number.NaN : 1);
    const err = await new BootstrapRS({ metric, numCandidatePrograms: 1 })
      .compile(simpleProgram(), { trainset })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'METRIC_ERROR', details: { dataset: 'trainset' } });
    expect(String(err)).toMatch(/NaN, not a finite number/);
    lm = new ScriptedLM([]); // this test may call the LM
  });
});
