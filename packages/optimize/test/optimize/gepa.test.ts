import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, type LMRequest, type Metric, Module, Predict, silentLogger } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { OfflineLM, ScriptedLM } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { GEPA } from '../../src/index.js';
import {
  gepaAutoBudget,
  instructionsOf,
  type Lineage,
  paretoFront,
  planMerge,
  Rng,
} from '../../src/internal.js';
import { numbered, outputMatches } from './helpers.js';
import {
  banking,
  classifier,
  heldOutScore,
  inputField,
  instructionAnswer,
  isProposal,
  labelMatches,
  saved,
  systemOf,
} from './instruct-helpers.js';

afterEach(() => resetSettings());

const halfStudent = () => new Predict('input -> output', { instructions: 'HALF of the time right.' });

/** Reflection answers served in order; task calls answered by the instruction. */
function scripted(proposals: readonly string[]) {
  const seen: LMRequest[] = [];
  const lm = new ScriptedLM((req) => {
    if (!isProposal(req)) return instructionAnswer(req);
    seen.push(req);
    return { proposedInstruction: proposals[seen.length - 1] ?? proposals.at(-1) ?? 'none' };
  });
  return { lm, seen };
}

const withFeedback: Metric = (ex, pred) => ({
  score: pred.get('output') === ex.get('output') ? 1 : 0,
  feedback: `expected ${String(ex.get('output'))}`,
});

describe('GEPA', () => {
  it('accepts only improving proposals: a worse one is rejected, a better one joins the pool', async () => {
    const { lm, seen } = scripted(['WORSE: always unsure.', 'GOOD: answer ans:<input>.']);
    configure({ lm, logger: silentLogger });
    const student = halfStudent();
    const { program, report } = await new GEPA({
      metric: withFeedback,
      maxMetricCalls: 60,
      reflectionMinibatchSize: 3,
      seed: 1,
    }).compile(student, { trainset: numbered(6), valset: numbered(6, 'v') });
    const accepted = report.candidates.filter((c) => c.extra?.accepted === true);
    const rejected = report.candidates.filter((c) => c.extra?.accepted === false);
    const instr = (c: (typeof accepted)[number]) =>
      (c.extra?.instructions as Record<string, string> | undefined)?.self;
    expect(accepted.map(instr)).toEqual(['HALF of the time right.', 'GOOD: answer ans:<input>.']);
    expect(rejected.map(instr)).toContain('WORSE: always unsure.');
    expect(instructionsOf(program).self).toBe('GOOD: answer ans:<input>.');
    expect(report.bestScore).toBe(100);
    expect(report.baselineScore).toBe(50);
    expect(instructionsOf(student).self).toBe('HALF of the time right.');
    // The reflection LM saw inputs, what the program answered and the metric's feedback.
    const demos = JSON.parse(inputField(seen[0] as LMRequest, 'taskDemos')) as {
      inputs: Record<string, unknown>;
      predicted: Record<string, unknown>;
      feedback: string;
    }[];
    expect(demos).toHaveLength(3);
    expect(demos[0]?.feedback).toMatch(/^expected ans:q/);
    expect(demos[0]?.predicted).toHaveProperty('output');
    expect(inputField(seen[0] as LMRequest, 'basicInstruction')).toBe('HALF of the time right.');
  });

  it('the saved artifact holds the evolved instruction and reloads with it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gepa-'));
    const run = async (file: string) => {
      configure({ lm: scripted(['GOOD evolved.']).lm, logger: silentLogger });
      const { program } = await new GEPA({ metric: outputMatches, maxMetricCalls: 30, seed: 4 }).compile(
        halfStudent(),
        { trainset: numbered(6) },
      );
      return saved(program, dir, file);
    };
    const text = await run('a.json');
    expect(await run('b.json')).toBe(text);
    const reloaded = await halfStudent().load(join(dir, 'a.json'));
    expect(reloaded.signature.instructions).toBe('GOOD evolved.');
    expect(JSON.parse(text)).toMatchObject({ provenance: { optimizer: { name: 'GEPA' }, seed: 4 } });
  });

  it('needs exactly one budget, checked before any LM call', async () => {
    const { lm } = scripted(['x']);
    configure({ lm, logger: silentLogger });
    const compile = (o: object) =>
      new GEPA({ metric: outputMatches, ...o }).compile(halfStudent(), { trainset: numbered(3) });
    await expect(compile({})).rejects.toMatchObject({ code: 'OPTIMIZER_INVALID' });
    await expect(compile({ auto: 'light', maxMetricCalls: 10 })).rejects.toMatchObject({
      message: expect.stringMatching(/exactly one/),
    });
    await expect(compile({ auto: 'extreme' })).rejects.toMatchObject({ code: 'OPTIMIZER_INVALID' });
    expect(lm.requests).toHaveLength(0);
    expect(gepaAutoBudget('light', 1, 10)).toBe(10 + 30 + 10 * 35 + 3 * 10);
  });

  it('maxFullEvals sets the metric-call budget to n × (train + val)', async () => {
    configure({ lm: scripted(['WORSE']).lm, logger: silentLogger });
    const { report } = await new GEPA({ metric: outputMatches, maxFullEvals: 2 }).compile(halfStudent(), {
      trainset: numbered(6),
      valset: numbered(4, 'v'),
    });
    expect(report.notes.join(' ')).toMatch(/of a budget of 20/);
  });

  it('with OfflineLM on Banking77 beats zero-shot on held-out data', async () => {
    configure({ lm: new OfflineLM(), logger: silentLogger });
    const baseline = await heldOutScore(classifier());
    const { program, report } = await new GEPA({ metric: labelMatches, maxMetricCalls: 200 }).compile(
      classifier(),
      { trainset: banking.train.slice(0, 24), valset: banking.train.slice(24) },
    );
    expect(report.bestScore).toBeGreaterThan(report.baselineScore ?? 100);
    expect(await heldOutScore(program)).toBeGreaterThan(baseline);
  });
});

describe('Pareto front and merge', () => {
  it('keeps members that lead somewhere and are not dominated', () => {
    const pool = [{ scores: [1, 0, 0] }, { scores: [1, 1, 0] }, { scores: [0, 0, 1] }, { scores: [1, 1, 0] }];
    expect(paretoFront(pool).map((f) => f.index)).toEqual([1, 2]);
  });

  it('merges two members that changed different predictors from a common ancestor', () => {
    const pool: Lineage[] = [
      { instructions: { a: 'a0', b: 'b0' }, parents: [], mean: 0.2 },
      { instructions: { a: 'a1', b: 'b0' }, parents: [0], mean: 0.5 },
      { instructions: { a: 'a0', b: 'b2' }, parents: [0], mean: 0.4 },
    ];
    const tried = new Set<string>();
    const plan = planMerge(pool, [1, 2], tried, new Rng(0));
    expect(plan).toMatchObject({ left: 1, right: 2, ancestor: 0, instructions: { a: 'a1', b: 'b2' } });
    expect(planMerge(pool, [1, 2], tried, new Rng(0))).toBeUndefined();
  });
});

/** Two predictors: `first` marks its output `ok:` with FIX1 in its instruction. */
class TwoStep extends Module {
  first = new Predict('input -> mid', { instructions: 'First.' });
  second = new Predict('mid -> output', { instructions: 'Second.' });
  override async forward(x: { input: string }) {
    const m = await this.first.forward(x);
    return this.second.forward({ mid: String(m.get('mid')) });
  }
}

/**
 * FIX1 (first) makes even inputs right, FIX2 (second) odd ones; `v1` is right only without
 * FIX1, so the student leads on it and stays on the Pareto front.
 */
function mergeScript(req: LMRequest) {
  const sys = systemOf(req);
  const last = req.messages.at(-1);
  const text = typeof last?.content === 'string' ? last.content : '';
  if (isProposal(req)) {
    const basic = inputField(req, 'basicInstruction');
    return { proposedInstruction: basic.startsWith('First') ? 'First. FIX1' : 'Second. FIX2' };
  }
  const input = /\[\[ ## input ## \]\]\n([^\n]*)/.exec(text)?.[1];
  if (input !== undefined) return { mid: sys.includes('FIX1') ? `ok:${input}` : input };
  const mid = /\[\[ ## mid ## \]\]\n([^\n]*)/.exec(text)?.[1] ?? '';
  const raw = mid.replace(/^ok:/, '');
  const ok = mid.startsWith('ok:');
  const right = raw === 'v1' ? !ok : /[02468]$/.test(raw) ? ok : sys.includes('FIX2');
  return { output: right ? `ans:${raw}` : '?' };
}

describe('GEPA merge', () => {
  it('merges two front members that improved different predictors from the student', async () => {
    configure({ lm: new ScriptedLM(mergeScript), logger: silentLogger });
    const { program, report } = await new GEPA({ metric: outputMatches, maxMetricCalls: 80 }).compile(
      new TwoStep(),
      { trainset: numbered(6), valset: numbered(6, 'v') },
    );
    const merge = report.candidates.find((c) => c.label.startsWith('merge of'));
    expect(merge?.extra).toMatchObject({
      accepted: true,
      instructions: { first: 'First. FIX1', second: 'Second. FIX2' },
      merge: { ancestor: 0 },
    });
    expect(merge?.extra?.parents).toHaveLength(2);
    // Proposals that would repeat a pool member are not scored again.
    const keys = report.candidates
      .filter((c) => c.extra?.accepted === true)
      .map((c) => JSON.stringify(c.extra?.instructions));
    expect(new Set(keys).size).toBe(keys.length);
    expect(report.bestScore).toBeCloseTo(83.33, 1);
    expect(program.first.signature.instructions).toBe('First. FIX1');
    expect(program.second.signature.instructions).toBe('Second. FIX2');
  });
});
