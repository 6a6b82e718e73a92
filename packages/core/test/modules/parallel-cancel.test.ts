import {
  isDspyError,
  type LanguageModel,
  type LMRequest,
  type LMResponse,
  Parallel,
  Predict,
  silentLogger,
  withSettings,
} from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';

/** Fails the question `fail`; waits on every other request until its signal aborts. */
class WaitingLM implements LanguageModel {
  readonly model = 'waiting';
  readonly signals: AbortSignal[] = [];
  cancelled = 0;

  async call(request: LMRequest): Promise<LMResponse> {
    if (request.messages.at(-1)?.content.includes('fail')) throw new Error('model refused');
    if (request.signal) this.signals.push(request.signal);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, 5_000);
      request.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        this.cancelled += 1;
        reject(new Error('aborted'));
      });
    });
    throw new Error('not reached in this test');
  }
}

describe('Parallel cancels running jobs', () => {
  it('aborts the LM calls of running jobs once the error budget is spent', async () => {
    const lm = new WaitingLM();
    const qa = new Predict('question -> answer', { lm });
    const par = new Parallel({ numThreads: 3, maxErrors: 0 });
    const err = await withSettings({ logger: silentLogger }, () =>
      par.forward([
        [qa, { question: 'slow 1' }],
        [qa, { question: 'slow 2' }],
        [qa, { question: 'fail' }],
      ]),
    ).catch((e: unknown) => e);
    expect(isDspyError(err, 'PARALLEL_ERROR_BUDGET')).toBe(true);
    expect(lm.signals).toHaveLength(2);
    expect(lm.cancelled).toBe(2);
    expect([...par.lastErrors.keys()]).toEqual([2]);
  });
});
