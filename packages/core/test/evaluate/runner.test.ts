import {
  DspyError,
  type EvaluationRunner,
  evaluate,
  exactMatch,
  localRunner,
  Prediction,
  type RunnerOutcome,
} from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';
import { devset, program } from './helpers.js';

/** A runner answering in reverse order of the requests, as remote workers may. */
function reversingRunner(log: string[]): EvaluationRunner {
  return {
    open: async (run) => {
      const waiting: { index: number; resolve: (o: RunnerOutcome) => void }[] = [];
      return {
        concurrency: run.devset.length,
        runExample: (index) =>
          new Promise<RunnerOutcome>((resolve) => {
            waiting.push({ index, resolve });
            if (waiting.length === run.devset.length) {
              for (const w of waiting.reverse()) {
                log.push(`done ${w.index}`);
                w.resolve(
                  w.index === 1
                    ? { error: new DspyError('WORKER_JOB_FAILED', 'worker crashed') }
                    : { prediction: new Prediction({ answer: `a${w.index}` }), score: 1 },
                );
              }
            }
          }),
        close: async () => {
          log.push('closed');
        },
      };
    },
  };
}

describe('evaluate with a runner', () => {
  it('runs the examples on the runner, keeps devset order and counts its errors', async () => {
    const log: string[] = [];
    const report = await evaluate(program(), devset(3), exactMatch, {
      runner: reversingRunner(log),
      progress: false,
    });
    expect(log).toEqual(['done 2', 'done 1', 'done 0', 'closed']);
    expect(report.results.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(report.results.map((r) => r.score)).toEqual([1, 0, 1]);
    expect(report.errors).toBe(1);
    expect(report.results[1]?.error?.message).toContain('worker crashed');
  });

  it('gives the same report with the local runner named as without a runner', async () => {
    const options = { progress: false, concurrency: 2 } as const;
    const plain = await evaluate(program({ wrong: [1], fail: [2] }), devset(4), exactMatch, options);
    const local = await evaluate(program({ wrong: [1], fail: [2] }), devset(4), exactMatch, {
      ...options,
      runner: localRunner,
    });
    expect(local.results.map((r) => [r.score, r.error?.message])).toEqual(
      plain.results.map((r) => [r.score, r.error?.message]),
    );
    expect(local.score).toBe(50);
  });
});
