import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, type LMRequest, type Metric, Predict, resetSettings, silentLogger } from '@dspy-ts/core';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { COPRO, type CompileReport, GEPA, MIPROv2, SIMBA, saveReport } from '../../src/index.js';
import { lastInput, numbered, outputMatches } from './helpers.js';
import { isProposal, saved, systemOf } from './instruct-helpers.js';

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
