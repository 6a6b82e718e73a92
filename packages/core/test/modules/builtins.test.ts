import {
  BestOfN,
  ChainOfThought,
  isDspyError,
  MultiChainComparison,
  majority,
  Parallel,
  Predict,
  Prediction,
  Refine,
  runWithTrace,
  silentLogger,
  withSettings,
} from '@dspy-ts/core';
import { ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';

const quiet = <T>(fn: () => Promise<T>) => withSettings({ logger: silentLogger }, fn);

describe('ChainOfThought', () => {
  it('adds a reasoning output before the others, typed', async () => {
    const lm = new ScriptedLM([{ reasoning: 'France has Paris.', answer: 'Paris' }]);
    const cot = new ChainOfThought('question: string -> answer: string', { lm });
    expect(cot.predict.signature.outputs.map((f) => f.name)).toEqual(['reasoning', 'answer']);
    expect(cot.predict.signature.field('reasoning')?.prefix).toBe(
      "Reasoning: Let's think step by step in order to",
    );
    const pred = await cot.forward({ question: 'Capital of France?' });
    expectTypeOf(pred.reasoning).toEqualTypeOf<string>();
    expectTypeOf(pred.answer).toEqualTypeOf<string>();
    expect(pred.toJSON()).toEqual({ reasoning: 'France has Paris.', answer: 'Paris' });
    const system = lm.requests[0]?.messages[0]?.content ?? '';
    expect(system.indexOf('`reasoning`')).toBeLessThan(system.indexOf('`answer`'));
    expect(cot.namedPredictors().map(([p]) => p)).toEqual(['predict']);
  });
});

describe('MultiChainComparison', () => {
  it('compares M given attempts in DSPy wording', async () => {
    const lm = new ScriptedLM([{ rationale: 'Most say 4.', answer: '4' }]);
    const mcc = new MultiChainComparison('question -> answer', { M: 2, lm });
    const pred = await mcc.forward(
      { question: '2+2?' },
      {
        completions: [
          { reasoning: 'two and two\nmore', answer: '4' },
          { rationale: 'guess', answer: '5' },
        ],
      },
    );
    expect(pred.answer).toBe('4');
    expect(pred.rationale).toBe('Most say 4.');
    const user = lm.requests[0]?.messages.at(-1)?.content ?? '';
    expect(user).toContain("«I'm trying to two and two I'm not sure but my prediction is 4»");
    expect(user).toContain("«I'm trying to guess I'm not sure but my prediction is 5»");
    expect(mcc.predict.signature.outputs[0]?.name).toBe('rationale');
  });

  it('generates M attempts with distinct rollout ids when none are given', async () => {
    const lm = new ScriptedLM((req) =>
      req.messages[0]?.content.includes('reasoning_attempt_1')
        ? { rationale: 'compare', answer: 'final' }
        : { reasoning: `try ${String(req.rolloutId)}`, answer: String(req.rolloutId) },
    );
    const mcc = new MultiChainComparison('question -> answer', { M: 3 });
    mcc.setLM(lm);
    const pred = await mcc.forward({ question: 'q' });
    expect(pred.answer).toBe('final');
    const attempts = lm.requests.slice(0, 3);
    expect(new Set(attempts.map((r) => r.rolloutId)).size).toBe(3);
    expect(attempts.every((r) => r.temperature === 1)).toBe(true);
    expect(lm.requests).toHaveLength(4);
  });

  it('rejects the wrong number of completions', async () => {
    const mcc = new MultiChainComparison('question -> answer', { M: 3, lm: new ScriptedLM([]) });
    await expect(mcc.forward({ question: 'q' }, { completions: [{ answer: 'a' }] })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
  });
});

describe('BestOfN', () => {
  it('with a reward always 0 makes exactly N calls and returns the first prediction', async () => {
    const lm = new ScriptedLM([{ answer: 'first' }, { answer: 'second' }, { answer: 'third' }]);
    const qa = new Predict('question -> answer', { lm });
    const best = new BestOfN(qa, { N: 3, threshold: 1, rewardFn: () => 0 });
    const pred = await best.forward({ question: 'q' });
    expect(pred.answer).toBe('first');
    expect(lm.callCount).toBe(3);
    expect(lm.requests.map((r) => r.rolloutId)).toEqual([0, 1, 2]);
    expect(lm.requests.every((r) => r.temperature === 1)).toBe(true);
  });

  it('stops at the first attempt reaching the threshold and keeps the best trace', async () => {
    const lm = new ScriptedLM([{ answer: 'no' }, { answer: 'yes' }, { answer: 'unused' }]);
    const qa = new Predict('question -> answer', { lm });
    const best = new BestOfN(qa, { N: 3, threshold: 1, rewardFn: (_x, p) => p.answer === 'yes' });
    const { result, trace } = await runWithTrace(() => best.forward({ question: 'q' }));
    expect(result.answer).toBe('yes');
    expect(lm.callCount).toBe(2);
    expect(trace.map((t) => t.outputs.answer)).toEqual(['yes']);
    expect(best.namedPredictors().map(([p]) => p)).toEqual(['module']);
  });

  it('tolerates failures up to failCount, then raises the error', async () => {
    let calls = 0;
    const flaky = {
      async forward(_x: { q: string }) {
        calls += 1;
        if (calls < 3) throw new Error(`boom ${calls}`);
        return { ok: calls };
      },
    };
    const ok = await quiet(() =>
      new BestOfN(flaky, { N: 3, threshold: 1, rewardFn: () => 1 }).forward({ q: '' }),
    );
    expect(ok).toEqual({ ok: 3 });
    calls = 0;
    const err = await quiet(() =>
      new BestOfN(flaky, { N: 3, threshold: 1, rewardFn: () => 1, failCount: 1 }).forward({ q: '' }),
    ).catch((e: unknown) => e);
    expect((err as Error).message).toBe('boom 1');
  });

  it('checks its options', () => {
    const qa = new Predict('q -> a');
    expect(() => new BestOfN(qa, { N: 0, threshold: 1, rewardFn: () => 0 })).toThrow(/N must be/);
  });
});

describe('Refine', () => {
  it('asks for advice after a failing attempt and gives the hint to the next attempt', async () => {
    const lm = new ScriptedLM((req) => {
      const system = req.messages[0]?.content ?? '';
      if (system.includes('program_trajectory')) {
        return { discussion: 'Too long.', advice: { self: 'Answer in one word.' } };
      }
      const user = req.messages.at(-1)?.content ?? '';
      return { answer: user.includes('Answer in one word.') ? 'Paris' : 'The capital is Paris' };
    });
    const qa = new Predict('question -> answer', { lm });
    const refine = new Refine(qa, {
      N: 3,
      threshold: 1,
      rewardFn: (_x, p) => (p.answer.split(' ').length === 1 ? 1 : 0),
    });
    const pred = await refine.forward({ question: 'Capital of France?' });
    expect(pred.answer).toBe('Paris');
    expect(lm.callCount).toBe(3);
    expect(lm.requests[0]?.messages[0]?.content).not.toContain('hint_');
    expect(lm.requests[2]?.messages[0]?.content).toContain('hint_');
    expect(refine.lastHints).toEqual({ self: 'Answer in one word.' });
    const adviceInputs = lm.requests[1]?.messages.at(-1)?.content ?? '';
    expect(adviceInputs).toContain('The capital is Paris');
    expect(refine.namedPredictors().map(([p]) => p)).toEqual(['module']);
  });
});

describe('Parallel', () => {
  it('returns results in job order with bounded concurrency', async () => {
    let running = 0;
    let peak = 0;
    const slow = async (x: { i: number }) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, (5 - x.i) * 2));
      running -= 1;
      return x.i * 10;
    };
    const par = new Parallel({ numThreads: 2 });
    const out = await par.forward([0, 1, 2, 3, 4].map((i) => [slow, { i }] as const));
    expect(out).toEqual([0, 10, 20, 30, 40]);
    expect(peak).toBeLessThanOrEqual(2);
  });

  it('runs modules and Examples as inputs', async () => {
    const lm = new ScriptedLM((req) => ({
      answer: req.messages.at(-1)?.content.includes('one') ? '1' : '2',
    }));
    const qa = new Predict('question -> answer', { lm });
    const { Example } = await import('@dspy-ts/core');
    const ex = new Example({ question: 'two', answer: '2' }).withInputs('question');
    const out = await new Parallel().forward([{ module: qa, inputs: { question: 'one' } }, [qa, ex]]);
    expect(out.map((p) => p?.answer)).toEqual(['1', '2']);
  });

  it('keeps failed results undefined within the error budget, and stops beyond it', async () => {
    const job = async (x: { fail: boolean }) => {
      if (x.fail) throw new Error('bad');
      return 'ok';
    };
    const par = new Parallel({ maxErrors: 1, numThreads: 1 });
    const out = await quiet(() => par.forward([job, job].map((f, i) => [f, { fail: i === 0 }] as const)));
    expect(out).toEqual([undefined, 'ok']);
    expect([...par.lastErrors.keys()]).toEqual([0]);
    const started: number[] = [];
    const tracked = async (x: { i: number }) => {
      started.push(x.i);
      throw new Error(`bad ${x.i}`);
    };
    const err = await quiet(() => par.forward([0, 1, 2, 3].map((i) => [tracked, { i }] as const))).catch(
      (e: unknown) => e,
    );
    expect(isDspyError(err, 'PARALLEL_ERROR_BUDGET')).toBe(true);
    expect(started).toEqual([0, 1]);
  });
});

describe('majority', () => {
  it('votes over normalised values; ties go to the first', () => {
    const pred = new Prediction(
      { answer: 'Paris' },
      {
        completions: [{ answer: 'Paris' }, { answer: 'the rome' }, { answer: 'Rome.' }, { answer: 'paris!' }],
      },
    );
    expect(majority(pred).answer).toBe('Paris');
    expect(majority([{ answer: 'a' }, { answer: 'b' }, { answer: 'B' }]).answer).toBe('b');
    expect(
      majority(
        [
          { x: 1, answer: 'yes' },
          { x: 2, answer: 'no' },
        ],
        'x',
      ).x,
    ).toBe(1);
    expect(
      majority(
        [
          { a: 'x', b: 'q' },
          { a: 'y', b: 'r' },
          { a: 'y', b: 's' },
        ],
        { field: 'a' },
      ).b,
    ).toBe('r');
  });

  it('uses n completions of a prediction', async () => {
    const lm = new ScriptedLM([{ answer: 'a' }, { answer: 'b' }, { answer: 'b' }], { nMode: 'next' });
    const pred = await new Predict('question -> answer', { lm, n: 3 }).forward({ question: 'q' });
    expect(majority(pred).answer).toBe('b');
  });

  it('rejects empty input', () => {
    expect(() => majority([])).toThrow(/no completions/);
  });
});
