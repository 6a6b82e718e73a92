import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  configure,
  Example,
  evaluate,
  exactMatch,
  isDspyError,
  MemoryBudgetLedger,
  Predict,
  registerPrices,
  silentLogger,
} from '../../src/index.js';
import { resetSettings } from '../../src/internal.js';

const devset = Array.from({ length: 6 }, (_, i) =>
  new Example({ question: `q${i}`, answer: `a${i}` }).withInputs('question'),
);

describe('evaluate with a budget', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dspy-eval-budget-'));
    registerPrices({ 'scripted/priced': { input: 1, output: 2 } });
  });
  afterEach(async () => {
    resetSettings();
    await rm(dir, { recursive: true, force: true });
  });

  it('stops before the call that would pass maxCost, and returns and saves what it finished', async () => {
    const lm = new ScriptedLM(() => ({ answer: 'a' }), { model: 'scripted/priced' });
    configure({ lm, logger: silentLogger, lmRequest: { maxTokens: 20 } });
    const qa = new Predict('question -> answer');
    // Measure what one call spends, then cap at three and a half calls' worth.
    const one = await evaluate(qa, devset.slice(0, 1), exactMatch, { maxCost: 1 });
    const perCall = one.usage?.cost ?? 0;
    expect(perCall).toBeGreaterThan(0);
    const saveAs = join(dir, 'results.json');
    const report = await evaluate(qa, devset.slice(1), exactMatch, {
      concurrency: 1,
      maxCost: 3.5 * perCall,
      saveAs,
    });
    expect(report.interrupted).toBe(true);
    expect(isDspyError(report.budgetExhausted, 'BUDGET_EXHAUSTED')).toBe(true);
    expect(report.budgetExhausted?.details).toMatchObject({ limit: 'maxCost' });
    expect(report.usage?.cost).toBeLessThanOrEqual(3.5 * perCall);
    expect(report.results.length).toBeGreaterThan(0);
    expect(report.results.length).toBeLessThan(5);
    expect(report.results.every((r) => r.error === undefined)).toBe(true);
    expect(report.errors).toBe(0);
    const saved = JSON.parse(await readFile(saveAs, 'utf8'));
    expect(saved.results ?? saved).toHaveLength(report.results.length);
  });

  it('a shared ledger carries the total from one run to the next', async () => {
    const lm = new ScriptedLM(() => ({ answer: 'a' }), { model: 'scripted/priced' });
    configure({ lm, logger: silentLogger, lmRequest: { maxTokens: 20 } });
    const qa = new Predict('question -> answer');
    const budgetLedger = new MemoryBudgetLedger();
    const first = await evaluate(qa, devset.slice(0, 2), exactMatch, { maxLMCalls: 3, budgetLedger });
    expect(first.budgetExhausted).toBeUndefined();
    const second = await evaluate(qa, devset.slice(2), exactMatch, {
      maxLMCalls: 3,
      budgetLedger,
      concurrency: 1,
    });
    expect(second.results).toHaveLength(1);
    expect(second.budgetExhausted?.details).toMatchObject({ limit: 'maxLMCalls' });
    expect((await budgetLedger.spent()).calls).toBe(3);
  });

  it('refuses a negative cap before any call', async () => {
    const qa = new Predict('question -> answer');
    await expect(evaluate(qa, devset, exactMatch, { maxCost: -1 })).rejects.toMatchObject({
      code: 'OPTION_INVALID',
    });
  });
});
