import { configure, type DspyError, Example, exactMatchOn, type Metric, silentLogger } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BootstrapFewShot,
  BootstrapRS,
  COPRO,
  GEPA,
  KNNFewShot,
  LabeledFewShot,
  MIPROv2,
  SIMBA,
} from '../../src/index.js';
import { examples, simpleProgram } from './helpers.js';

afterEach(() => resetSettings());

type Compiles = { compile(p: ReturnType<typeof simpleProgram>, o: object): Promise<unknown> };

/** Every optimizer that takes a metric, with the smallest options it runs with. */
const WITH_METRIC: Record<string, (metric: Metric) => Compiles> = {
  LabeledFewShot: (metric) => new LabeledFewShot({ metric, k: 2 }),
  BootstrapFewShot: (metric) => new BootstrapFewShot({ metric }),
  BootstrapRS: (metric) => new BootstrapRS({ metric, numCandidatePrograms: 1 }),
  KNNFewShot: (metric) => new KNNFewShot({ metric, k: 2, bootstrap: true }),
  COPRO: (metric) => new COPRO({ metric, breadth: 2, depth: 1 }),
  MIPROv2: (metric) => new MIPROv2({ metric, numCandidates: 2, numTrials: 2, minibatch: false }),
  SIMBA: (metric) => new SIMBA({ metric, bsize: 2, numCandidates: 2, maxSteps: 1 }),
  GEPA: (metric) => new GEPA({ metric, maxMetricCalls: 10 }),
};

const rows = () =>
  [
    new Example({ text: 'good day', category: 'pos' }),
    new Example({ text: 'bad day', category: 'neg' }),
    new Example({ text: 'fine day', category: 'pos' }),
  ].map((e) => e.withInputs('text'));

describe.each(Object.entries(WITH_METRIC))('%s metric probe', (_name, make) => {
  it('a built-in metric on a misspelt field fails with METRIC_ERROR before any LM call', async () => {
    const lm = new ScriptedLM(() => ({ category: 'pos' }));
    configure({ lm, logger: silentLogger });
    const program = new (await import('@dspy-ts/core')).Predict('text -> category');
    const err = (await make(exactMatchOn('categroy'))
      .compile(program as never, { trainset: rows() })
      .catch((e: unknown) => e)) as DspyError;
    expect(err).toMatchObject({ code: 'METRIC_ERROR', details: { dataset: 'trainset', index: 0 } });
    expect(err.message).toContain("'categroy'");
    expect(err.message).toContain('[text, category]');
    expect(lm.requests).toHaveLength(0);
  });
});

describe('a metric that fails mid-compile', () => {
  const trainset = examples([
    ['alpha', 'A'],
    ['bravo', 'B'],
    ['charlie', 'C'],
  ]);
  // Passes the probe (gold labels), throws on bravo's real prediction.
  const metric: Metric = (ex, pred) => {
    if (ex.get('input') === 'bravo' && pred.get('output') !== ex.get('output')) throw new Error('boom');
    return pred.get('output') === ex.get('output');
  };

  it.each([
    ['BootstrapRS', () => new BootstrapRS({ metric, numCandidatePrograms: 1 })],
    ['BootstrapFewShot', () => new BootstrapFewShot({ metric })],
  ])('%s: METRIC_ERROR naming the example index and inputs', async (_name, make) => {
    configure({ lm: new ScriptedLM(() => ({ output: 'x' })), logger: silentLogger });
    const err = (await make()
      .compile(simpleProgram(), { trainset })
      .catch((e: unknown) => e)) as DspyError;
    expect(err).toMatchObject({
      code: 'METRIC_ERROR',
      details: { dataset: 'trainset', index: 1, inputs: '{"input":"bravo"}' },
    });
    expect(err.message).toContain('trainset[1]');
    expect(err.message).toContain('boom');
    expect((err.cause as Error).message).toBe('boom');
  });

  it('a score outside [0, 1] during the search is a METRIC_ERROR', async () => {
    configure({ lm: new ScriptedLM(() => ({ output: 'x' })), logger: silentLogger });
    const seven: Metric = (ex, pred) => (pred.get('output') === ex.get('output') ? 1 : 7);
    const err = (await new BootstrapRS({ metric: seven, numCandidatePrograms: 1 })
      .compile(simpleProgram(), { trainset })
      .catch((e: unknown) => e)) as DspyError;
    expect(err).toMatchObject({ code: 'METRIC_ERROR', details: { dataset: 'trainset' } });
    expect(err.message).toMatch(/7.*outside \[0, 1\]/);
  });

  it('metricRange declares a metric on another scale; scores are rescaled to [0, 1]', async () => {
    configure({ lm: new ScriptedLM(() => ({ output: 'A' })), logger: silentLogger });
    const tenPoint: Metric = (ex, pred) => (pred.get('output') === ex.get('output') ? 10 : 2);
    const { report } = await new BootstrapRS({
      metric: tenPoint,
      metricRange: [0, 10],
      numCandidatePrograms: 1,
    }).compile(simpleProgram(), { trainset });
    // The LM answers A everywhere: right on 1 of 3 examples (10), wrong on 2 (2) → (1 + 0.2 + 0.2) / 3.
    expect(report.baselineScore).toBeCloseTo(140 / 3);
    const bad = (await new BootstrapRS({ metric: tenPoint, metricRange: [10, 0] })
      .compile(simpleProgram(), { trainset })
      .catch((e: unknown) => e)) as DspyError;
    expect(bad).toMatchObject({
      code: 'OPTIMIZER_INVALID',
      details: { where: 'BootstrapFewShotWithRandomSearch.metricRange' },
    });
  });

  it('metricThreshold is on the declared metricRange scale', async () => {
    configure({ lm: new ScriptedLM(() => ({ output: 'x' })), logger: silentLogger });
    const eight: Metric = () => 8;
    const { report } = await new BootstrapFewShot({
      metric: eight,
      metricRange: [0, 10],
      metricThreshold: 7,
      maxBootstrappedDemos: 1,
    }).compile(simpleProgram(), { trainset });
    expect(report.candidates[0]?.extra).toMatchObject({ bootstrapped: 1 });
  });
});
