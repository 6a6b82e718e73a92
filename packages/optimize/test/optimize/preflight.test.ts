import { Example, exactMatchOn, LM, Predict } from '@dspy-ts/core';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BootstrapFewShot, COPRO } from '../../src/index.js';

const trainset = Array.from({ length: 6 }, (_, i) =>
  new Example({ question: `q${i}`, answer: `a${i}` }).withInputs('question'),
);
const metric = exactMatchOn('answer');

afterEach(() => vi.unstubAllEnvs());

describe('compile checks its LMs before the first call', () => {
  it('a student whose LM has no key fails once with LM_AUTH naming the variable, with no request', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    const lm = new LM('openai/gpt-4o-mini', { cache: false });
    const student = new Predict('question -> answer', { lm });
    const run = new BootstrapFewShot({ metric }).compile(student, { trainset });
    await expect(run).rejects.toMatchObject({
      code: 'LM_AUTH',
      message: expect.stringContaining('OPENAI_API_KEY'),
    });
    expect(lm.stats.requests).toBe(0);
  });

  it("an optimizer's own LM (COPRO's promptModel) is checked too", async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    const task = new ScriptedLM(() => ({ answer: 'a0' }));
    const promptModel = new LM('openai/gpt-4o-mini', { cache: false });
    const run = new COPRO({ metric, promptModel, breadth: 2, depth: 1 }).compile(
      new Predict('question -> answer', { lm: task }),
      { trainset },
    );
    await expect(run).rejects.toMatchObject({ code: 'LM_AUTH' });
    expect(task.requests).toHaveLength(0);
  });
});
