import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, type LanguageModel, type LMRequest, silentLogger } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { BootstrapFewShot, BootstrapFewShotWithRandomSearch, BootstrapRS } from '../../src/index.js';
import { programState } from '../../src/internal.js';
import { demoLearner, numbered, outputMatches, simpleProgram } from './helpers.js';

afterEach(() => resetSettings());

describe('BootstrapRS', () => {
  it('is the same class as BootstrapFewShotWithRandomSearch', () => {
    expect(BootstrapRS).toBe(BootstrapFewShotWithRandomSearch);
  });

  it('with N candidates evaluates N + 3 programs in DSPy order and ranks them', async () => {
    const lm = new ScriptedLM(demoLearner(['q2']));
    configure({ lm, logger: silentLogger });
    const trainset = numbered(6);
    const valset = numbered(4, 'v');
    const { report, program } = await new BootstrapRS({
      metric: outputMatches,
      numCandidatePrograms: 4,
      maxBootstrappedDemos: 2,
      maxLabeledDemos: 2,
    }).compile(simpleProgram(), { trainset, valset });
    expect(report.candidates.map((c) => c.id)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(report.trials).toHaveLength(7);
    expect(report.candidates[0]?.label).toBe('zero-shot');
    expect(report.candidates[0]?.score).toBe(0);
    expect(report.baselineScore).toBe(0);
    expect(report.bestScore).toBe(100);
    // First strictly best: labeled-only (-2) already scores 100.
    expect(report.bestCandidateId).toBe(-2);
    expect(new Set(report.candidates.map((c) => c.rank))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7]));
    expect(report.candidates.find((c) => c.id === -3)?.rank).toBe(7);
    const evalRequests = 7 * valset.length;
    expect(lm.requests.length).toBeGreaterThan(evalRequests);
    expect(report.dspyImpliedCalls.calls).toBe(lm.requests.length);
    expect(Object.keys(report.phases)).toEqual(
      expect.arrayContaining(['candidates', 'bootstrap', 'evaluate']),
    );
    expect(Object.values(programState(program))[0]?.demos).toHaveLength(2);
  });

  it('stops at stopAtScore', async () => {
    const lm = new ScriptedLM(demoLearner());
    configure({ lm, logger: silentLogger });
    const { report } = await new BootstrapRS({
      metric: outputMatches,
      numCandidatePrograms: 5,
      stopAtScore: 100,
    }).compile(simpleProgram(), { trainset: numbered(4) });
    expect(report.stoppedBy).toBe('stopAtScore');
    expect(report.candidates.map((c) => c.id)).toEqual([-3, -2]);
  });

  it('a budget stops the search cleanly with the best program so far', async () => {
    const lm = new ScriptedLM(demoLearner(['q1']));
    configure({ lm, logger: silentLogger });
    const trainset = numbered(4);
    const { report, program } = await new BootstrapRS({
      metric: outputMatches,
      numCandidatePrograms: 8,
      maxLMCalls: 10,
    }).compile(simpleProgram(), { trainset });
    expect(report.stoppedBy).toBe('budget');
    expect(report.stopDetail).toMatch(/maxLMCalls/);
    expect(report.total.lmCalls).toBeLessThanOrEqual(10);
    expect(lm.requests.length).toBeLessThanOrEqual(10);
    // zero-shot (4 calls) and labeled (4 calls) were evaluated; labeled is the best so far.
    expect(report.bestCandidateId).toBe(-2);
    expect(report.bestScore).toBe(75);
    expect(Object.values(programState(program))[0]?.demos.length).toBeGreaterThan(0);
  });

  it('maxTokens stops the search too, before a call whose estimate would pass it', async () => {
    const lm = new ScriptedLM(demoLearner());
    configure({ lm, logger: silentLogger, numThreads: 1, lmRequest: { maxTokens: 40 } });
    const { report } = await new BootstrapRS({
      metric: outputMatches,
      numCandidatePrograms: 4,
      maxTokens: 800,
    }).compile(simpleProgram(), { trainset: numbered(4) });
    expect(report.stoppedBy).toBe('budget');
    expect(report.stopDetail).toMatch(/maxTokens/);
    expect(lm.requests.length).toBeGreaterThan(0);
    expect(report.total.totalTokens).toBeGreaterThan(0);
    expect(report.total.totalTokens).toBeLessThanOrEqual(800);
    expect(report.phases.evaluate?.lmCalls).toBe(lm.requests.length);
  });

  it('maxCost stops the search before the call that would pass it; cost is shown per phase', async () => {
    const scripted = new ScriptedLM(demoLearner());
    // A priced model: every call costs $0.01.
    const lm: LanguageModel = {
      model: 'priced/test',
      call: async (req: LMRequest) => ({ ...(await scripted.call(req)), cost: 0.01 }),
    };
    configure({ lm, logger: silentLogger, numThreads: 1 });
    const { report } = await new BootstrapRS({
      metric: outputMatches,
      numCandidatePrograms: 4,
      maxCost: 0.045,
    }).compile(simpleProgram(), { trainset: numbered(4) });
    expect(report.stoppedBy).toBe('budget');
    expect(report.stopDetail).toMatch(/maxCost/);
    // The model has no price: each call is estimated at the dearest so far ($0.01), so the fifth is refused.
    expect(report.total.cost).toBeCloseTo(0.04, 9);
    expect(report.total.cost).toBeGreaterThan(0);
    expect(report.phases.evaluate?.cost).toBeCloseTo(report.total.cost, 6);
    expect(report.bestScore).toBeDefined();
  });

  it('same seed → byte-identical artifact', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dspy-opt-'));
    const run = async (file: string) => {
      configure({ lm: new ScriptedLM(demoLearner(['q1', 'q4'])), logger: silentLogger });
      const { program } = await new BootstrapRS({
        metric: outputMatches,
        numCandidatePrograms: 3,
        maxBootstrappedDemos: 2,
        maxLabeledDemos: 3,
        seed: 7,
      }).compile(simpleProgram(), { trainset: numbered(8) });
      await (program as unknown as { save(p: string): Promise<void> }).save(join(dir, file));
      return readFile(join(dir, file), 'utf8');
    };
    const a = await run('a.json');
    const b = await run('b.json');
    expect(a).toBe(b);
    const artifact = JSON.parse(a) as { provenance: Record<string, unknown> };
    expect(artifact.provenance).toMatchObject({
      optimizer: { name: 'BootstrapFewShotWithRandomSearch' },
      metric: 'outputMatches',
      seed: 7,
      trainset: { size: 8 },
      stoppedBy: 'completed',
    });
    expect(artifact.provenance.createdAt).toBeUndefined();
  });

  it('resumes after an interruption and ends with the same artifact', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dspy-opt-'));
    const options = {
      metric: outputMatches,
      numCandidatePrograms: 3,
      maxBootstrappedDemos: 2,
      maxLabeledDemos: 2,
    };
    const trainset = numbered(6);
    const save = async (program: object, file: string) => {
      await (program as { save(p: string): Promise<void> }).save(join(dir, file));
      return readFile(join(dir, file), 'utf8');
    };

    const fullLM = new ScriptedLM(demoLearner(['q3']));
    configure({ lm: fullLM, logger: silentLogger });
    const full = await new BootstrapRS(options).compile(simpleProgram(), { trainset });
    const expected = await save(full.program, 'full.json');

    const checkpoint = join(dir, 'run.ckpt.jsonl');
    const stop = new AbortController();
    const learner = demoLearner(['q3']);
    const crashLM = new ScriptedLM((req, i) => {
      if (i === 20) stop.abort(new Error('Ctrl-C'));
      return learner(req);
    });
    configure({ lm: crashLM, logger: silentLogger, numThreads: 1 });
    await expect(
      new BootstrapRS(options).compile(simpleProgram(), { trainset, checkpoint, signal: stop.signal }),
    ).rejects.toMatchObject({ code: 'ABORTED' });

    const resumeLM = new ScriptedLM(demoLearner(['q3']));
    configure({ lm: resumeLM, logger: silentLogger });
    const resumed = await new BootstrapRS(options).compile(simpleProgram(), {
      trainset,
      checkpoint,
      resume: true,
    });
    expect(await save(resumed.program, 'resumed.json')).toBe(expected);
    expect(resumed.report.resumedSteps).toBeGreaterThan(0);
    expect(resumeLM.requests.length).toBeLessThan(fullLM.requests.length);
    expect(resumed.report.candidates.map((c) => c.score)).toEqual(full.report.candidates.map((c) => c.score));
  });

  it('a run stopped by its budget resumes with a larger one to the uninterrupted result', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dspy-opt-'));
    const checkpoint = join(dir, 'budget.ckpt.jsonl');
    const options = {
      metric: outputMatches,
      numCandidatePrograms: 2,
      maxBootstrappedDemos: 2,
      maxLabeledDemos: 2,
    };
    const trainset = numbered(5);
    configure({ lm: new ScriptedLM(demoLearner(['q2'])), logger: silentLogger });
    const full = await new BootstrapRS(options).compile(simpleProgram(), { trainset });
    const stopped = await new BootstrapRS({ ...options, maxLMCalls: 12 }).compile(simpleProgram(), {
      trainset,
      checkpoint,
    });
    expect(stopped.report.stoppedBy).toBe('budget');
    const lm = new ScriptedLM(demoLearner(['q2']));
    configure({ lm, logger: silentLogger });
    const resumed = await new BootstrapRS(options).compile(simpleProgram(), {
      trainset,
      checkpoint,
      resume: true,
    });
    expect(resumed.report.stoppedBy).toBe('completed');
    expect(resumed.report.resumedSteps).toBeGreaterThan(0);
    expect(programState(resumed.program)).toEqual(programState(full.program));
  });

  it('Ctrl-C with a checkpoint stops cleanly and resumes to the same result', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dspy-opt-'));
    const checkpoint = join(dir, 'sigint.ckpt.jsonl');
    const options = { metric: outputMatches, numCandidatePrograms: 2, maxLabeledDemos: 2 };
    const trainset = numbered(5);
    configure({ lm: new ScriptedLM(demoLearner(['q2'])), logger: silentLogger });
    const full = await new BootstrapRS(options).compile(simpleProgram(), { trainset });
    const before = process.listenerCount('SIGINT');
    const learner = demoLearner(['q2']);
    let seen = -1;
    configure({
      lm: new ScriptedLM((req, i) => {
        if (i === 8) {
          seen = process.listenerCount('SIGINT');
          process.emit('SIGINT');
        }
        return learner(req);
      }),
      logger: silentLogger,
      numThreads: 1,
    });
    await expect(
      new BootstrapRS(options).compile(simpleProgram(), { trainset, checkpoint }),
    ).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(seen).toBe(before + 1);
    expect(process.listenerCount('SIGINT')).toBe(before);
    configure({ lm: new ScriptedLM(demoLearner(['q2'])), logger: silentLogger });
    const resumed = await new BootstrapRS(options).compile(simpleProgram(), {
      trainset,
      checkpoint,
      resume: true,
    });
    expect(resumed.report.resumedSteps).toBeGreaterThan(0);
    expect(programState(resumed.program)).toEqual(programState(full.program));
  });

  it('refuses a checkpoint written by another configuration', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dspy-opt-'));
    const checkpoint = join(dir, 'run.ckpt.jsonl');
    configure({ lm: new ScriptedLM(demoLearner()), logger: silentLogger });
    await new BootstrapRS({ metric: outputMatches, numCandidatePrograms: 1 }).compile(simpleProgram(), {
      trainset: numbered(3),
      checkpoint,
    });
    await expect(
      new BootstrapRS({ metric: outputMatches, numCandidatePrograms: 2 }).compile(simpleProgram(), {
        trainset: numbered(3),
        checkpoint,
        resume: true,
      }),
    ).rejects.toMatchObject({ code: 'OPTIMIZER_INVALID' });
  });
});

describe('BootstrapFewShot budget', () => {
  it('stops with the demos bootstrapped so far', async () => {
    const lm = new ScriptedLM(demoLearner());
    configure({ lm, logger: silentLogger });
    const { report, program } = await new BootstrapFewShot({
      metric: outputMatches,
      maxBootstrappedDemos: 4,
      maxLabeledDemos: 4,
      maxLMCalls: 2,
    }).compile(simpleProgram(), { trainset: numbered(6) });
    expect(report.stoppedBy).toBe('budget');
    expect(lm.requests).toHaveLength(2);
    const demos = Object.values(programState(program))[0]?.demos ?? [];
    expect(demos.filter((d) => d.augmented === true)).toHaveLength(2);
    expect(demos).toHaveLength(4);
  });
});
