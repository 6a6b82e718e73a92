import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, type LMRequest, Predict, silentLogger } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { OfflineLM, ScriptedLM } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { SIMBA } from '../../src/index.js';
import { instructionsOf, programState } from '../../src/internal.js';
import { lastInput, numbered, outputMatches, simpleProgram } from './helpers.js';
import {
  banking,
  heldOutScore,
  inputField,
  isProposal,
  labelMatches,
  saved,
  systemOf,
} from './instruct-helpers.js';

afterEach(() => resetSettings());

const RULE = 'GOOD rule: answer ans:<input>.';

/**
 * Sampled runs differ: rollout `...:0` answers right, others `?`. Programs with demos or the
 * GOOD rule answer right always. Proposals write the rule.
 */
function scripted() {
  const proposals: LMRequest[] = [];
  const lm = new ScriptedLM((req) => {
    if (isProposal(req)) {
      proposals.push(req);
      return { proposedInstruction: RULE };
    }
    const input = lastInput(req.messages as unknown as { content: string }[]);
    if (req.messages.length > 2 || systemOf(req).includes('GOOD')) return { output: `ans:${input}` };
    return { output: String(req.rolloutId ?? '').endsWith(':0') ? `ans:${input}` : '?' };
  });
  return { lm, proposals };
}

describe('SIMBA', () => {
  it('builds demo and rule candidates from buckets with a spread and picks the best by full evaluation', async () => {
    const { lm, proposals } = scripted();
    configure({ lm, logger: silentLogger });
    const student = simpleProgram();
    const { program, report } = await new SIMBA({
      metric: outputMatches,
      bsize: 4,
      numCandidates: 3,
      maxSteps: 3,
      seed: 2,
    }).compile(student, { trainset: numbered(8) });
    const sampled = lm.requests.filter((r) => r.rolloutId !== undefined);
    expect(sampled.every((r) => r.temperature === 1)).toBe(true);
    expect(new Set(sampled.map((r) => r.rolloutId)).size).toBe(9);
    const labels = report.candidates.map((c) => c.label);
    expect(labels.some((l) => / demo on self/.test(l))).toBe(true);
    expect(labels.some((l) => / rule on self/.test(l))).toBe(true);
    const demos = JSON.parse(inputField(proposals[0] as LMRequest, 'taskDemos')) as {
      outputs: Record<string, unknown>;
      predicted: Record<string, unknown>;
    }[];
    expect(demos[0]?.predicted.output).toBe('?');
    expect(demos[0]?.outputs.output).toMatch(/^ans:/);
    expect(report.trials.length).toBeGreaterThanOrEqual(3);
    expect(report.baselineScore).toBe(0);
    expect(report.bestScore).toBe(100);
    expect(programState(student).self?.demos).toEqual([]);
    const learned = programState(program).self;
    expect((learned?.demos.length ?? 0) > 0 || learned?.instructions === RULE).toBe(true);
    expect(report.dspyImpliedCalls.calls).toBeGreaterThan(0);
  });

  it('with maxDemos 0 only writes rules', async () => {
    const { lm } = scripted();
    configure({ lm, logger: silentLogger });
    const { program, report } = await new SIMBA({
      metric: outputMatches,
      bsize: 4,
      numCandidates: 2,
      maxSteps: 2,
      maxDemos: 0,
    }).compile(simpleProgram(), { trainset: numbered(4) });
    expect(report.candidates.some((c) => / demo on /.test(c.label))).toBe(false);
    expect(programState(program).self?.demos).toEqual([]);
    expect(instructionsOf(program).self).toBe(RULE);
  });

  it('rejects bad options before any LM call', async () => {
    const { lm } = scripted();
    configure({ lm, logger: silentLogger });
    await expect(
      new SIMBA({ metric: outputMatches, bsize: 0 }).compile(simpleProgram(), { trainset: numbered(2) }),
    ).rejects.toMatchObject({ code: 'OPTIMIZER_INVALID', message: expect.stringMatching(/bsize/) });
    expect(lm.requests).toHaveLength(0);
  });

  it('same seed → byte-identical artifact', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'simba-'));
    const run = async (file: string) => {
      configure({ lm: scripted().lm, logger: silentLogger });
      const { program } = await new SIMBA({
        metric: outputMatches,
        bsize: 3,
        numCandidates: 2,
        maxSteps: 2,
        seed: 5,
      }).compile(simpleProgram(), { trainset: numbered(6) });
      return saved(program, dir, file);
    };
    const a = await run('a.json');
    expect(await run('b.json')).toBe(a);
  });

  it('with OfflineLM on Banking77 beats zero-shot on held-out data', async () => {
    configure({ lm: new OfflineLM(), logger: silentLogger });
    const intents = [...new Set(banking.train.map((e) => String(e.get('label'))))];
    const make = () => new Predict(`text -> label: ${intents.map((i) => `'${i}'`).join(' | ')}`);
    const zeroShot = await heldOutScore(make());
    // A plain zero-shot student: with a literal union of intents, sampled runs (temperature 1.0,
    // distinct rollout ids) pick among the options, so scores spread and SIMBA has traces to keep.
    const student = make();
    const { program, report } = await new SIMBA({
      metric: labelMatches,
      bsize: 12,
      numCandidates: 4,
      maxSteps: 4,
      maxDemos: 12,
    }).compile(student, { trainset: banking.train });
    expect(report.bestScore).toBeGreaterThan(report.baselineScore ?? 100);
    const compiled = await heldOutScore(program);
    expect(compiled).toBeGreaterThan(zeroShot);
    expect(student.demos).toEqual([]);
  });
});
