import { type DspyError, isDspyError, ProgramOfThought } from '@dspy-ts/core';
import { ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';

const lastUser = (lm: ScriptedLM, i: number): string => lm.requests[i]?.messages.at(-1)?.content ?? '';

describe('ProgramOfThought', () => {
  it('runs the generated code, retries after a runtime error, and answers from the result', async () => {
    const lm = new ScriptedLM([
      { reasoning: 'Read the input.', code: 'inputs.missing.value * 2' },
      { reasoning: 'Use n.', code: '```js\nconst n = inputs.n;\nconsole.log("n =", n);\nn * 2\n```' },
      { reasoning: 'The code printed 42.', answer: 42 },
    ]);
    const pot = new ProgramOfThought('n: number -> answer: number', { lm, timeoutMs: 500 });
    const pred = await pot.forward({ n: 21 });
    expectTypeOf(pred.answer).toEqualTypeOf<number>();
    expectTypeOf(pred.code).toEqualTypeOf<string>();
    expect(pred.answer).toBe(42);
    expect(pred.code).toBe('const n = inputs.n;\nconsole.log("n =", n);\nn * 2');
    expect(pred.codeOutput).toBe('n = 21\nResult: 42');
    expect(lm.callCount).toBe(3);
    expect(pred.lmCalls).toBe(3);
    const retry = lastUser(lm, 1);
    expect(retry).toContain('inputs.missing.value * 2');
    expect(retry).toMatch(/the code threw TypeError: .*undefined/);
    expect(lastUser(lm, 2)).toContain('n = 21\nResult: 42');
    expect(lm.requests[0]?.messages[0]?.content).toContain('global object `inputs`');
    expect(pot.namedPredictors().map(([p]) => p)).toEqual([
      'generate.predict',
      'regenerate.predict',
      'answer.predict',
    ]);
  });

  it('feeds escape attempts and runaway code back as errors, then succeeds', async () => {
    const lm = new ScriptedLM([
      { reasoning: 'r', code: "globalThis.constructor.constructor('return process')().exit(1)" },
      { reasoning: 'r', code: 'while (true) {}' },
      { reasoning: 'r', code: '"ok"' },
      { reasoning: 'r', answer: 'ok' },
    ]);
    const pot = new ProgramOfThought('question -> answer', { lm, timeoutMs: 100 });
    const pred = await pot.forward({ question: 'q' });
    expect(pred.answer).toBe('ok');
    expect(lastUser(lm, 1)).toContain("'process' is not defined (the sandbox has no process");
    expect(lastUser(lm, 2)).toContain('CPU-time limit of 100 ms');
  });

  it('gives up after maxIters failed attempts with a clear SANDBOX_ERROR', async () => {
    const lm = new ScriptedLM([
      { reasoning: 'r', code: 'require("fs")' },
      { reasoning: 'r', code: 'let s = "x"; while (true) s += s;' },
    ]);
    const pot = new ProgramOfThought('question -> answer', {
      lm,
      maxIters: 2,
      memoryLimitBytes: 8 * 1024 * 1024,
    });
    const err = (await pot.forward({ question: 'q' }).catch((e: unknown) => e)) as DspyError;
    expect(isDspyError(err, 'SANDBOX_ERROR')).toBe(true);
    expect(err.message).toContain('ProgramOfThought(');
    expect(err.message).toContain('in 2 tries');
    expect(err.message).toContain('ran out of memory');
    expect(lm.callCount).toBe(2);
  });

  it('passes worker: false and the limits to its sandbox runs', async () => {
    const lm = new ScriptedLM([
      { reasoning: 'r', code: 'inputs.n + 1' },
      { reasoning: 'r', answer: 3 },
    ]);
    const pot = new ProgramOfThought('n: number -> answer: number', {
      lm,
      worker: false,
      memoryLimitBytes: 8 * 1024 * 1024,
    });
    expect(pot.sandbox).toEqual({ memoryLimitBytes: 8 * 1024 * 1024, worker: false });
    expect((await pot.forward({ n: 2 })).codeOutput).toBe('3');
  });

  it('refuses worker: false with a timeoutMs it cannot enforce, before any LM call', () => {
    const lm = new ScriptedLM([]);
    const build = () =>
      new ProgramOfThought('n: number -> answer: number', { lm, worker: false, timeoutMs: 300 });
    expect(build).toThrow(/timeoutMs: 300 cannot be enforced with worker: false/);
    expect(build).toThrow(
      expect.objectContaining({
        code: 'SANDBOX_ERROR',
        details: expect.objectContaining({ kind: 'options', where: 'ProgramOfThought' }),
      }),
    );
    expect(() => new ProgramOfThought('q -> a', { lm, timeoutMs: 0 })).toThrow(
      /timeoutMs must be a positive number/,
    );
    expect(lm.callCount).toBe(0);
  });

  it('cuts a huge result value before it reaches the answer prompt', async () => {
    const lm = new ScriptedLM([
      { reasoning: 'r', code: 'console.log("made it"); "x".repeat(3_000_000)' },
      { reasoning: 'r', answer: 'long' },
    ]);
    const pot = new ProgramOfThought('question -> answer', { lm });
    const pred = await pot.forward({ question: 'q' });
    expect(pred.codeOutput.length).toBeLessThan(21_000);
    expect(pred.codeOutput).toContain('made it\nResult (cut after 20000 characters): xxx');
    expect(lastUser(lm, 1).length).toBeLessThan(25_000);
  });

  it('rejects reserved field names and bad options', () => {
    expect(() => new ProgramOfThought('code -> answer')).toThrow(/field name 'code' is reserved/);
    expect(() => new ProgramOfThought('q -> a', { maxIters: 0 })).toThrow(
      /maxIters must be a positive integer/,
    );
  });
});
