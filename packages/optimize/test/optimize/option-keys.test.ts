import { configure, type DspyError, type Metric, Predict, silentLogger } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BootstrapFewShot,
  BootstrapRS,
  COPRO,
  Ensemble,
  GEPA,
  KNNFewShot,
  LabeledFewShot,
  MIPROv2,
  SIMBA,
} from '../../src/index.js';
import { examples, outputMatches, simpleProgram } from './helpers.js';

let lm: ScriptedLM;
afterEach(() => {
  expect(lm.requests).toHaveLength(0);
  resetSettings();
});

const trainset = examples([
  ['alpha', 'A'],
  ['bravo', 'B'],
]);

type Extra = Record<string, unknown>;
/** Each of the nine optimizers, built with valid options plus `extra`, compiled once. */
const NINE: Record<string, (extra: Extra, metric: Metric) => Promise<unknown>> = {
  LabeledFewShot: (x) => new LabeledFewShot({ k: 1, ...x }).compile(simpleProgram(), { trainset }),
  BootstrapFewShot: (x, metric) =>
    new BootstrapFewShot({ metric, ...x }).compile(simpleProgram(), { trainset }),
  BootstrapRS: (x, metric) => new BootstrapRS({ metric, ...x }).compile(simpleProgram(), { trainset }),
  KNNFewShot: (x) => new KNNFewShot({ k: 1, ...x }).compile(simpleProgram(), { trainset }),
  COPRO: (x, metric) => new COPRO({ metric, ...x }).compile(simpleProgram(), { trainset }),
  MIPROv2: (x, metric) => new MIPROv2({ metric, auto: 'light', ...x }).compile(simpleProgram(), { trainset }),
  SIMBA: (x, metric) => new SIMBA({ metric, ...x }).compile(simpleProgram(), { trainset }),
  GEPA: (x, metric) => new GEPA({ metric, auto: 'light', ...x }).compile(simpleProgram(), { trainset }),
  Ensemble: async (x) => new Ensemble({ ...x }).compile([new Predict('input -> output')]),
};

async function rejection(run: () => Promise<unknown>): Promise<DspyError> {
  return (await run().then(
    () => undefined,
    (e: unknown) => e,
  )) as DspyError;
}

describe.each(Object.entries(NINE))('%s option names', (_name, compile) => {
  it('rejects a misspelt option with a "did you mean", before any LM call', async () => {
    lm = new ScriptedLM(() => ({ output: 'x' }));
    configure({ lm, logger: silentLogger });
    const err = await rejection(() => compile({ seeed: 5 }, outputMatches));
    expect(err).toMatchObject({
      code: 'OPTIMIZER_INVALID',
      details: { unknown: ['seeed'], suggestions: { seeed: 'seed' } },
    });
    expect(err.message).toContain("unknown option 'seeed' (did you mean 'seed'?)");
    expect(err.details.fix).toMatch(/Rename 'seeed' to 'seed'/);
  });
});

describe('unknown option names', () => {
  it('suggests the camelCase name for a near miss or a DSPy snake_case name, and lists all unknown keys', async () => {
    lm = new ScriptedLM(() => ({ output: 'x' }));
    configure({ lm, logger: silentLogger });
    const err = await rejection(
      () =>
        NINE.BootstrapFewShot?.(
          { maxBootstrapDemos: 2, max_labeled_demos: 4, wholly_unrelated: 1 },
          outputMatches,
        ) ?? Promise.resolve(),
    );
    expect(err.code).toBe('OPTIMIZER_INVALID');
    expect(err.details.suggestions).toEqual({
      maxBootstrapDemos: 'maxBootstrappedDemos',
      max_labeled_demos: 'maxLabeledDemos',
    });
    expect(err.message).toContain("'wholly_unrelated'");
    expect(err.details.fix).toMatch(/accepts: .*maxBootstrappedDemos/);
  });

  it('accepts every documented option of its own optimizer', async () => {
    lm = new ScriptedLM(() => ({ output: 'x' }));
    configure({ lm, logger: silentLogger });
    const { report } = await new LabeledFewShot({
      k: 1,
      sample: false,
      seed: 3,
      numThreads: 2,
      maxErrors: 1,
      probeMetric: false,
      progress: false,
      timestamp: false,
      handleSigint: false,
      maxLMCalls: 5,
      maxTokens: 100,
      maxCost: 1,
    }).compile(simpleProgram(), { trainset });
    expect(report.options).toMatchObject({ k: 1, seed: 3 });
  });
});
