import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, type LMRequest, type Metric, Module, Predict, silentLogger } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { COPRO, type CompileReport, GEPA, MIPROv2, SIMBA, saveReport } from '../../src/index.js';
import { lastInput, numbered, outputMatches } from './helpers.js';
import { inputField, isProposal, saved, systemOf } from './instruct-helpers.js';

afterEach(() => resetSettings());

/**
 * One script for all four (answers depend only on the request): proposals write the GOOD rule; tasks answer
 * right with the GOOD instruction or demos, on even inputs with HALF, on rollout `...:0`.
 */
function answer(req: LMRequest) {
  if (isProposal(req)) return { proposedInstruction: 'GOOD rule.' };
  if (systemOf(req).includes('observations')) return { observations: 'q<i> to ans:q<i>.' };
  const input = lastInput(req.messages as unknown as { content: string }[]);
  const sys = systemOf(req);
  const right =
    sys.includes('GOOD') ||
    req.messages.length > 2 ||
    (sys.includes('HALF') && /[02468]$/.test(input)) ||
    String(req.rolloutId ?? '').endsWith(':0');
  return { output: right ? `ans:${input}` : '?' };
}

type Make = (
  metric: Metric,
  extra?: object,
) => {
  compile(p: ReturnType<typeof student>, o: object): Promise<{ program: object; report: CompileReport }>;
};

const student = () => new Predict('input -> output', { instructions: 'Answer.' });

const OPTIMIZERS: Record<string, Make> = {
  COPRO: (metric, extra) => new COPRO({ metric, breadth: 3, depth: 2, ...extra }),
  MIPROv2: (metric, extra) =>
    new MIPROv2({ metric, numCandidates: 3, numTrials: 5, minibatchSize: 4, ...extra }),
  SIMBA: (metric, extra) => new SIMBA({ metric, bsize: 3, numCandidates: 2, maxSteps: 2, ...extra }),
  GEPA: (metric, extra) => new GEPA({ metric, maxMetricCalls: 40, ...extra }),
};

const trainset = numbered(8);
const withFeedback: Metric = (ex, pred) => ({
  score: pred.get('output') === ex.get('output') ? 1 : 0,
  feedback: `expected ${String(ex.get('output'))}`,
});

describe.each(Object.entries(OPTIMIZERS))('%s guarantees', (_name, make) => {
  it('improves on the student, leaves it untouched, and saves a report with a chart', async () => {
    const lm = new ScriptedLM(answer);
    configure({ lm, logger: silentLogger });
    const s = student();
    const { report } = await make(withFeedback).compile(s, { trainset });
    expect(report.bestScore ?? 0).toBeGreaterThan(report.baselineScore ?? 100);
    expect(s.signature.instructions).toBe('Answer.');
    expect(s.demos).toEqual([]);
    expect(report.trials.length).toBeGreaterThan(0);
    expect(report.total.lmCalls).toBe(lm.requests.length);
    const dir = await mkdtemp(join(tmpdir(), 'contract-'));
    const files = await saveReport(report, join(dir, 'run'));
    for (const f of Object.values(files)) await access(f as string);
  });

  it('a budget stops the run cleanly with the best program so far', async () => {
    const lm = new ScriptedLM(answer);
    configure({ lm, logger: silentLogger });
    const { program, report } = await make(outputMatches, { maxLMCalls: 12 }).compile(student(), {
      trainset,
    });
    expect(report.stoppedBy).toBe('budget');
    expect(lm.requests.length).toBeLessThanOrEqual(12);
    expect(program).toBeDefined();
  });

  it('resumes after an interruption and ends with the same artifact', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'contract-'));
    configure({ lm: new ScriptedLM(answer), logger: silentLogger, numThreads: 1 });
    const full = await make(outputMatches, { seed: 3 }).compile(student(), { trainset });
    const expected = await saved(full.program, dir, 'full.json');

    const checkpoint = join(dir, 'run.ckpt.jsonl');
    const stop = new AbortController();
    const crashLM = new ScriptedLM((req, i) => {
      if (i === 15) stop.abort(new Error('Ctrl-C'));
      return answer(req);
    });
    configure({ lm: crashLM, logger: silentLogger, numThreads: 1 });
    await expect(
      make(outputMatches, { seed: 3 }).compile(student(), { trainset, checkpoint, signal: stop.signal }),
    ).rejects.toMatchObject({ code: 'ABORTED' });

    const resumeLM = new ScriptedLM(answer);
    configure({ lm: resumeLM, logger: silentLogger, numThreads: 1 });
    const resumed = await make(outputMatches, { seed: 3 }).compile(student(), {
      trainset,
      checkpoint,
      resume: true,
    });
    expect(await saved(resumed.program, dir, 'resumed.json')).toBe(expected);
    expect(resumed.report.resumedSteps).toBeGreaterThan(0);
  });
});

/** Two predictors: `first` passes the input on (marked `ok:` once FIX1 is in its instruction). */
class TwoStep extends Module {
  first = new Predict('input -> mid', { instructions: 'First.' });
  second = new Predict('mid -> output', { instructions: 'Second.' });
  override async forward(x: { input: string }) {
    const m = await this.first.forward(x);
    return this.second.forward({ mid: String(m.get('mid')) });
  }
}

/**
 * Even inputs come out right when `first` has FIX1, odd ones when `second` has FIX2 (and all
 * on rollout `...:0`); a proposal adds the fix that belongs to the instruction it is shown.
 */
function twoStepAnswer(req: LMRequest) {
  const sys = systemOf(req);
  if (isProposal(req)) {
    const basic = inputField(req, 'basicInstruction');
    if (basic.startsWith('First')) return { proposedInstruction: 'First. FIX1' };
    if (basic.startsWith('Second')) return { proposedInstruction: 'Second. FIX2' };
    return { proposedInstruction: basic || 'none' };
  }
  if (sys.includes('observations')) return { observations: 'q<i> to ans:q<i>.' };
  const last = req.messages.at(-1);
  const text = typeof last?.content === 'string' ? last.content : '';
  const input = /\[\[ ## input ## \]\]\n([^\n]*)/.exec(text)?.[1];
  if (input !== undefined) return { mid: sys.includes('FIX1') ? `ok:${input}` : input };
  const mid = /\[\[ ## mid ## \]\]\n([^\n]*)/.exec(text)?.[1] ?? '';
  const raw = mid.replace(/^ok:/, '');
  const even = /[02468]$/.test(raw);
  const right =
    String(req.rolloutId ?? '').endsWith(':0') ||
    (even && mid.startsWith('ok:')) ||
    (!even && sys.includes('FIX2'));
  return { output: right ? `ans:${raw}` : '?' };
}

describe.each(Object.entries(OPTIMIZERS))('%s with two predictors', (name, make) => {
  it('improves both predictors without crashing', async () => {
    configure({ lm: new ScriptedLM(twoStepAnswer), logger: silentLogger });
    const program = new TwoStep();
    const { report } = await (
      make(outputMatches, {}) as unknown as {
        compile(p: TwoStep, o: object): Promise<{ program: TwoStep; report: CompileReport }>;
      }
    ).compile(program, { trainset });
    expect(report.bestScore ?? 0).toBeGreaterThan(report.baselineScore ?? 100);
    expect(program.first.signature.instructions).toBe('First.');
    // The instruction searches find both fixes (SIMBA also learns demos on the way).
    if (name !== 'SIMBA') expect(report.bestScore).toBe(100);
  });
});
