import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, registerPrices, silentLogger } from '@dspy-ts/core';
import { estimateCall, resetSettings } from '@dspy-ts/core/internal';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BootstrapRS, MIPROv2 } from '../../src/index.js';
import { programState } from '../../src/internal.js';
import { demoLearner, numbered, outputMatches, simpleProgram } from './helpers.js';
import { instructionAnswer, isProposal } from './instruct-helpers.js';

const MODEL = 'scripted/priced';

beforeEach(() => registerPrices({ [MODEL]: { input: 2, output: 8 } }));
afterEach(() => resetSettings());

/** A priced scripted model whose calls ask for at most 64 completion tokens. */
function pricedLM(): ScriptedLM {
  const lm = new ScriptedLM(demoLearner(['q2']), { model: MODEL });
  configure({ lm, logger: silentLogger, numThreads: 1, lmRequest: { maxTokens: 64 } });
  return lm;
}

/** A priced model answering MIPROv2's proposal, summary and task calls. */
function miproLM(): ScriptedLM {
  const lm = new ScriptedLM(
    (req) => {
      if (isProposal(req)) return { proposedInstruction: 'GOOD instruction' };
      if (req.messages.some((m) => m.content.includes('observations')))
        return { observations: 'q<i> to ans:q<i>.' };
      return instructionAnswer(req);
    },
    { model: MODEL },
  );
  configure({ lm, logger: silentLogger, numThreads: 1, lmRequest: { maxTokens: 64 } });
  return lm;
}

/** The most one call of the run could cost: the largest estimate over its requests. */
function dearestCall(lm: ScriptedLM): number {
  return Math.max(...lm.requests.map((r) => estimateCall(MODEL, r).cost ?? 0));
}

describe('maxCost on a compile', () => {
  const options = {
    metric: outputMatches,
    numCandidatePrograms: 3,
    maxBootstrappedDemos: 2,
    maxLabeledDemos: 2,
  };

  it('stops within one call of the cap, keeps its finished trials, and resumes to the uninterrupted result', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dspy-cost-'));
    const checkpoint = join(dir, 'cost.ckpt.jsonl');
    const trainset = numbered(5);

    const fullLM = pricedLM();
    const full = await new BootstrapRS(options).compile(simpleProgram(), { trainset });
    expect(full.report.stoppedBy).toBe('completed');
    const fullCost = full.report.total.cost;
    expect(fullCost).toBeGreaterThan(0);
    const oneCall = dearestCall(fullLM);

    const cap = fullCost / 2;
    const cappedLM = pricedLM();
    const stopped = await new BootstrapRS({ ...options, maxCost: cap }).compile(simpleProgram(), {
      trainset,
      checkpoint,
    });
    expect(stopped.report.stoppedBy).toBe('budget');
    expect(stopped.report.stopDetail).toMatch(/BUDGET|budget exhausted: maxCost/i);
    const spent = stopped.report.total.cost;
    expect(spent).toBeLessThanOrEqual(cap);
    expect(spent).toBeGreaterThan(cap - oneCall);
    expect(cappedLM.requests.length).toBeLessThan(fullLM.requests.length);
    // The finished steps are in the checkpoint.
    const lines = (await readFile(checkpoint, 'utf8')).trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);

    // Resume with a larger cap: the finished steps are replayed, the rest is run.
    const resumeLM = pricedLM();
    const resumed = await new BootstrapRS({ ...options, maxCost: fullCost * 2 }).compile(simpleProgram(), {
      trainset,
      checkpoint,
      resume: true,
    });
    expect(resumed.report.stoppedBy).toBe('completed');
    expect(resumed.report.resumedSteps).toBeGreaterThan(0);
    expect(programState(resumed.program)).toEqual(programState(full.program));
    expect(resumed.report.bestScore).toBe(full.report.bestScore);
    expect(resumed.report.candidates.map((c) => c.score)).toEqual(full.report.candidates.map((c) => c.score));
    expect(resumeLM.requests.length).toBeLessThan(fullLM.requests.length);
    expect(resumed.report.total.cost).toBeLessThan(fullCost);
  });

  it('the same cap resumes too: each run spends afresh, and a few runs finish the compile', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dspy-cost-'));
    const checkpoint = join(dir, 'steps.ckpt.jsonl');
    const trainset = numbered(5);
    pricedLM();
    const full = await new BootstrapRS(options).compile(simpleProgram(), { trainset });
    const cap = full.report.total.cost / 3;
    let report = (
      await new BootstrapRS({ ...options, maxCost: cap }).compile(simpleProgram(), { trainset, checkpoint })
    ).report;
    let result: Awaited<ReturnType<BootstrapRS['compile']>> | undefined;
    for (let run = 0; run < 10 && report.stoppedBy === 'budget'; run++) {
      pricedLM();
      result = await new BootstrapRS({ ...options, maxCost: cap }).compile(simpleProgram(), {
        trainset,
        checkpoint,
        resume: true,
      });
      report = result.report;
      expect(report.total.cost).toBeLessThanOrEqual(cap);
    }
    expect(report.stoppedBy).toBe('completed');
    expect(result).toBeDefined();
    if (result) expect(programState(result.program)).toEqual(programState(full.program));
  });

  it('MIPROv2 stops within the cap as well', async () => {
    const trainset = numbered(6);
    const lm = miproLM();
    const mipro = { metric: outputMatches, numCandidates: 2, numTrials: 3, minibatch: false };
    const full = await new MIPROv2(mipro).compile(simpleProgram(), { trainset });
    const oneCall = dearestCall(lm);
    const cap = full.report.total.cost / 2;
    miproLM();
    const stopped = await new MIPROv2({ ...mipro, maxCost: cap }).compile(simpleProgram(), { trainset });
    expect(stopped.report.stoppedBy).toBe('budget');
    expect(stopped.report.total.cost).toBeLessThanOrEqual(cap);
    expect(stopped.report.total.cost).toBeGreaterThan(cap - oneCall);
  });
});
