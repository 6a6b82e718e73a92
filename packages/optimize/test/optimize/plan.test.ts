import { configure, registerPrices, silentLogger } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BootstrapFewShot,
  BootstrapRS,
  COPRO,
  formatEstimate,
  GEPA,
  KNNFewShot,
  MIPROv2,
  SIMBA,
} from '../../src/index.js';
import { demoLearner, numbered, outputMatches, simpleProgram } from './helpers.js';

afterEach(() => resetSettings());

/** A priced model that records every call (there must be none). */
function pricedLM(): ScriptedLM {
  registerPrices({ 'scripted/plan': { input: 1, output: 4 } });
  const lm = new ScriptedLM(demoLearner(), { model: 'scripted/plan' });
  configure({ lm, logger: silentLogger });
  return lm;
}

describe('Optimizer.plan and estimate', () => {
  it('count BootstrapRS calls from its settings, bound the real run, and make no LM call', async () => {
    const lm = pricedLM();
    const trainset = numbered(6);
    const valset = numbered(4, 'v');
    const options = {
      metric: outputMatches,
      numCandidatePrograms: 3,
      maxBootstrappedDemos: 2,
      maxLabeledDemos: 2,
    };
    const estimate = new BootstrapRS(options).estimate(simpleProgram(), { trainset, valset });
    expect(lm.requests).toHaveLength(0);
    expect(estimate.steps.map((s) => [s.phase, s.calls])).toEqual([
      ['bootstrap', 4 * 6],
      ['evaluate', 6 * 4],
    ]);
    expect(estimate.calls).toBe(48);
    expect(estimate.cost).toBeGreaterThan(0);
    expect(estimate.promptTokens).toBeGreaterThan(estimate.calls * 10);
    // The real run stays within the plan.
    const { report } = await new BootstrapRS(options).compile(simpleProgram(), { trainset, valset });
    expect(report.total.lmCalls).toBeLessThanOrEqual(estimate.calls);
    expect(report.phases.evaluate?.lmCalls).toBe(estimate.steps.find((s) => s.phase === 'evaluate')?.calls);
  });

  it('plans KNNFewShot: no call, or one teacher run per train example when it bootstraps, which bounds the real run', async () => {
    const lm = pricedLM();
    const trainset = numbered(5);
    const data = { trainset };
    expect(new KNNFewShot({ k: 2 }).plan(simpleProgram(), data).calls).toBe(0);
    const knn = new KNNFewShot({ k: 2, bootstrap: true, metric: outputMatches });
    const estimate = knn.estimate(simpleProgram(), data);
    expect(estimate.steps.map((s) => [s.phase, s.calls])).toEqual([['bootstrap', 5]]);
    expect(estimate.cost).toBeGreaterThan(0);
    expect(lm.requests).toHaveLength(0);
    const { report } = await knn.compile(simpleProgram(), data);
    expect(report.total.lmCalls).toBeGreaterThan(0);
    expect(report.total.lmCalls).toBeLessThanOrEqual(estimate.calls);
  });

  it('plans every CLI optimizer from its settings', () => {
    pricedLM();
    const trainset = numbered(10);
    const program = simpleProgram();
    const data = { trainset };
    expect(new BootstrapFewShot({ metric: outputMatches, maxRounds: 2 }).plan(program, data).calls).toBe(20);
    const copro = new COPRO({ metric: outputMatches, breadth: 4, depth: 2 }).plan(program, data);
    expect(copro.steps.map((s) => [s.phase, s.calls])).toEqual([
      ['propose', 2],
      ['evaluate', 2 * 4 * 10],
    ]);
    const mipro = new MIPROv2({
      metric: outputMatches,
      numCandidates: 4,
      numTrials: 5,
      minibatch: false,
    }).plan(program, data);
    // 10 examples: the last 8 validate, the first 2 bootstrap; 2 of the 4 demo sets bootstrap.
    expect(mipro.steps.map((s) => [s.phase, s.calls])).toEqual([
      ['bootstrap', 2 * 2],
      ['propose', 1],
      ['propose', 3],
      ['evaluate', 5 * 8],
    ]);
    const simba = new SIMBA({ metric: outputMatches, maxSteps: 2, numCandidates: 3, bsize: 4 }).plan(
      program,
      data,
    );
    expect(simba.calls).toBe(2 * 4 * 3 + 2 * 3 + 2 * 3 * 4 + 3 * 10);
    const gepa = new GEPA({ metric: outputMatches, maxMetricCalls: 70 }).plan(program, data);
    expect(gepa.steps.map((s) => [s.phase, s.calls])).toEqual([
      ['evaluate', 70],
      ['reflect', 10],
    ]);
  });

  it('prints a readable table with the model and its price, and refuses bad options as compile does', () => {
    pricedLM();
    const text = formatEstimate(
      new BootstrapRS({ metric: outputMatches, numCandidatePrograms: 2 }).estimate(simpleProgram(), {
        trainset: numbered(5),
      }),
    );
    expect(text).toMatch(/no LM call was made/);
    expect(text).toMatch(/^phase\s+LM calls \(at most\)\s+prompt tokens\s+completion tokens\s+cost\s+how$/m);
    expect(text).toMatch(/^bootstrap\s+15\s/m);
    expect(text).toMatch(/^total\s+40\s/m);
    expect(text).toContain('model: scripted/plan ($1.00 / $4.00 per 1M input / output tokens)');
    expect(() =>
      new BootstrapRS({ metric: outputMatches, numCandidatePrograms: -1 }).plan(simpleProgram(), {
        trainset: numbered(5),
      }),
    ).toThrow(/numCandidatePrograms/);
  });

  it('says so when the model has no price', () => {
    configure({ lm: new ScriptedLM(demoLearner(), { model: 'acme/unpriced' }), logger: silentLogger });
    const e = new BootstrapRS({ metric: outputMatches, numCandidatePrograms: 1 }).estimate(simpleProgram(), {
      trainset: numbered(4),
    });
    expect(e.cost).toBeUndefined();
    expect(e.notes.join('\n')).toContain("registerPrices({ 'acme/unpriced'");
    expect(formatEstimate(e)).toMatch(/^total\s+\S+\s+\S+\s+\S+\s+n\/a/m);
  });
});
