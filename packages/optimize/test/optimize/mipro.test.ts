import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, type LMRequest, silentLogger } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { OfflineLM, ScriptedLM } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MIPROv2 } from '../../src/index.js';
import { CategoricalTPE, instructionsOf, miproTrials, programState, Rng } from '../../src/internal.js';
import { numbered, outputMatches, simpleProgram } from './helpers.js';
import {
  banking,
  classifier,
  heldOutScore,
  inputField,
  instructionAnswer,
  isProposal,
  labelMatches,
  saved,
} from './instruct-helpers.js';

afterEach(() => resetSettings());

/** Proposals: `proposals[i]` for the i-th proposal call (cycling); summaries answered; tasks by instruction. */
function scripted(proposals: readonly string[]) {
  let i = 0;
  const seen: LMRequest[] = [];
  const lm = new ScriptedLM((req) => {
    if (isProposal(req)) {
      seen.push(req);
      return { proposedInstruction: proposals[i++ % proposals.length] ?? 'none' };
    }
    if (req.messages.some((m) => typeof m.content === 'string' && m.content.includes('observations'))) {
      return { observations: 'Inputs q<i>; outputs ans:q<i>.' };
    }
    return instructionAnswer(req);
  });
  return { lm, seen };
}

describe('MIPROv2', () => {
  it('trial counts of the presets follow max(2·P·log2(n), 1.5·n), P = predictors × 2 with demos', () => {
    expect(miproTrials(1, false, 6)).toBe(10);
    expect(miproTrials(1, false, 12)).toBe(18);
    expect(miproTrials(1, false, 18)).toBe(27);
    expect(miproTrials(1, true, 6)).toBe(9);
    expect(miproTrials(3, false, 6)).toBe(31);
  });

  it('light with one predictor and demos: 3 instruction and 6 demo-set candidates, 10 trials, baseline first', async () => {
    const { lm, seen } = scripted(['HALF one', 'GOOD two']);
    configure({ lm, logger: silentLogger });
    const trainset = numbered(10);
    const valset = numbered(8, 'v');
    const { program, report } = await new MIPROv2({ metric: outputMatches, auto: 'light' }).compile(
      simpleProgram(),
      { trainset, valset },
    );
    const kinds = (k: string) => report.candidates.filter((c) => c.extra?.kind === k);
    expect(kinds('instruction')).toHaveLength(3);
    expect(kinds('demo-set')).toHaveLength(6);
    // DSPy's MIPROv2 defaults: at most 4 bootstrapped and 4 demos in all per predictor.
    expect(kinds('demo-set').map((c) => c.demos.self)).toEqual([0, 4, 4, 4, 4, 4]);
    expect(seen).toHaveLength(2);
    expect(inputField(seen[0] as LMRequest, 'tip')).not.toBe('');
    expect(inputField(seen[0] as LMRequest, 'datasetSummary')).toContain('ans:q');
    expect(report.trials).toHaveLength(10);
    expect(report.trials[0]?.candidateId).toBe(-1);
    expect(report.baselineScore).toBe(0);
    expect(report.bestScore).toBe(100);
    expect(instructionsOf(program).self).toBe('GOOD two');
    expect(report.seed).toBe(9);
    expect(report.dspyImpliedCalls.calls).toBeGreaterThan(0);
  });

  it('instruction-only (zero demos) neither crashes nor adds demos', async () => {
    // Half of the proposals solve the task, so the best found by 9 trials is one of them.
    const { lm } = scripted(['GOOD', 'HALF']);
    configure({ lm, logger: silentLogger });
    const { program, report } = await new MIPROv2({
      metric: outputMatches,
      auto: 'light',
      maxBootstrappedDemos: 0,
      maxLabeledDemos: 0,
    }).compile(simpleProgram(), { trainset: numbered(6), valset: numbered(6, 'v') });
    expect(report.candidates.filter((c) => c.extra?.kind === 'instruction')).toHaveLength(6);
    expect(report.candidates.filter((c) => c.extra?.kind === 'demo-set')).toHaveLength(0);
    expect(report.trials).toHaveLength(9);
    expect(Object.values(programState(program))[0]?.demos).toEqual([]);
    expect(instructionsOf(program).self).toBe('GOOD');
  });

  it('zero bootstrapped demos with labeled demos does not crash (randint(1, 0) in DSPy)', async () => {
    const { lm } = scripted(['plain']);
    configure({ lm, logger: silentLogger });
    const { report } = await new MIPROv2({
      metric: outputMatches,
      numCandidates: 5,
      numTrials: 4,
      maxBootstrappedDemos: 0,
      maxLabeledDemos: 2,
    }).compile(simpleProgram(), { trainset: numbered(10) });
    expect(report.candidates.filter((c) => c.extra?.kind === 'demo-set')).toHaveLength(5);
    expect(report.trials).toHaveLength(4);
  });

  it('without a valset takes the last 80% of the trainset; minibatches with periodic full evaluations', async () => {
    const { lm } = scripted(['GOOD']);
    configure({ lm, logger: silentLogger });
    const { report } = await new MIPROv2({
      metric: outputMatches,
      numCandidates: 3,
      numTrials: 11,
      minibatchSize: 4,
      minibatchFullEvalSteps: 5,
    }).compile(simpleProgram(), { trainset: numbered(20) });
    expect(report.valSize).toBe(16);
    expect(report.trials).toHaveLength(11);
    const full = report.candidates.filter((c) => c.extra?.kind === 'configuration');
    // The baseline plus at most one full evaluation at trials 5, 10 and 11.
    expect(full.length).toBeGreaterThanOrEqual(2);
    expect(full.length).toBeLessThanOrEqual(4);
  });

  it('rejects auto and numCandidates together, and an unknown auto, before any LM call', async () => {
    const { lm } = scripted(['x']);
    configure({ lm, logger: silentLogger });
    await expect(
      new MIPROv2({ metric: outputMatches, auto: 'light', numCandidates: 3 }).compile(simpleProgram(), {
        trainset: numbered(4),
      }),
    ).rejects.toMatchObject({ code: 'OPTIMIZER_INVALID' });
    await expect(
      new MIPROv2({ metric: outputMatches, auto: 'huge' as 'light' }).compile(simpleProgram(), {
        trainset: numbered(4),
      }),
    ).rejects.toMatchObject({ code: 'OPTIMIZER_INVALID' });
    expect(lm.requests).toHaveLength(0);
  });

  it('same seed → byte-identical artifact', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mipro-'));
    const run = async (file: string) => {
      configure({ lm: scripted(['HALF', 'GOOD']).lm, logger: silentLogger });
      const { program } = await new MIPROv2({
        metric: outputMatches,
        numCandidates: 4,
        numTrials: 6,
      }).compile(simpleProgram(), { trainset: numbered(12) });
      return saved(program, dir, file);
    };
    const a = await run('a.json');
    expect(await run('b.json')).toBe(a);
  });

  it('with OfflineLM on Banking77 beats zero-shot on held-out data', async () => {
    configure({ lm: new OfflineLM(), logger: silentLogger });
    const baseline = await heldOutScore(classifier());
    const { program, report } = await new MIPROv2({ metric: labelMatches, auto: 'light' }).compile(
      classifier(),
      {
        trainset: banking.train.slice(0, 24),
        valset: banking.train.slice(24),
      },
    );
    expect(report.bestScore).toBeGreaterThan(report.baselineScore ?? 100);
    expect(await heldOutScore(program)).toBeGreaterThan(baseline);
  });
});

describe('CategoricalTPE', () => {
  it('after random start-up, concentrates on the choice that scores well', () => {
    const tpe = new CategoricalTPE({ a: 6, b: 3 }, new Rng(1), { startup: 6 });
    const history: { params: Record<string, number>; score: number }[] = [];
    for (let i = 0; i < 40; i++) {
      const params = tpe.suggest(history);
      history.push({ params, score: (params.a === 4 ? 1 : 0) + (params.b === 0 ? 0.5 : 0) });
    }
    const late = history.slice(20);
    expect(late.filter((h) => h.params.a === 4).length).toBeGreaterThan(10);
    const again = new CategoricalTPE({ a: 6, b: 3 }, new Rng(1), { startup: 6 });
    expect(again.suggest([])).toEqual(history[0]?.params);
  });
});
