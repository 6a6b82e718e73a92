import {
  configure,
  DspyError,
  type EvaluateOptions,
  type EvaluationReport,
  evaluate,
  exactMatch,
  exactMatchOn,
  type Metric,
  withSettings,
} from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { afterEach, describe, expect, it } from 'vitest';
import { devset, program } from './helpers.js';

afterEach(() => resetSettings());

async function rejection(run: () => Promise<unknown>): Promise<DspyError> {
  const err = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DspyError);
  return err as DspyError;
}

describe('numeric options are checked', () => {
  const bad: [keyof EvaluateOptions, unknown, RegExp][] = [
    ['concurrency', Number.NaN, /concurrency is NaN; it must be an integer ≥ 1/],
    ['concurrency', 0, /concurrency is 0/],
    ['concurrency', 1.5, /concurrency is 1.5/],
    ['maxErrors', Number.NaN, /maxErrors is NaN; it must be an integer ≥ 0 or Infinity/],
    ['maxErrors', -1, /maxErrors is -1/],
    ['failureScore', 2, /failureScore is 2; it must be a number in \[0, 1\]/],
    ['failureScore', Number.NaN, /failureScore is NaN/],
    ['metricTimeoutMs', 0, /metricTimeoutMs is 0/],
    ['metricTimeoutMs', Number.NaN, /metricTimeoutMs is NaN/],
    ['displayTable', Number.NaN, /displayTable is NaN/],
    ['metricRange', [10, 0], /metricRange is \[10,0\]/],
    ['metricRange', [0, Number.NaN], /metricRange/],
    ['metricRange', null, /metricRange is null/],
  ];

  it.each(bad)(
    'evaluate %s = %s is OPTION_INVALID naming the option, the value and what is allowed',
    async (option, value, message) => {
      const p = program();
      const err = await rejection(() =>
        evaluate(p, devset(3), exactMatch, { progress: false, [option]: value } as EvaluateOptions),
      );
      expect(err.code).toBe('OPTION_INVALID');
      expect(err.message).toMatch(message);
      expect(err.details).toMatchObject({ where: `evaluate.${option}`, option });
      expect(err.details.fix).toBeTruthy();
      expect(p.calls).toBe(0);
    },
  );

  it('a NaN concurrency says where a NaN usually comes from', async () => {
    const err = await rejection(() =>
      evaluate(program(), devset(1), exactMatch, {
        progress: false,
        concurrency: Number(process.env.DSPY_TS_TEST_UNSET_VARIABLE),
      }),
    );
    expect(err.message).toMatch(/environment variable/);
  });

  it('configure and withSettings reject numThreads and maxErrors out of range and change nothing', async () => {
    expect(() => configure({ numThreads: Number.NaN })).toThrow(/configure: numThreads is NaN/);
    expect(() => configure({ maxErrors: 1.5 })).toThrow(/configure: maxErrors is 1.5/);
    expect(() => withSettings({ numThreads: 0 }, () => 1)).toThrow(/withSettings: numThreads is 0/);
    const invalid = expect.objectContaining({ code: 'OPTION_INVALID' });
    expect(() => configure({ numThreads: -2 })).toThrow(invalid);
    expect(() => configure({ maxErrors: -1 })).toThrow(invalid);
    // Nothing was applied: the run uses the defaults and evaluates every example.
    const report = await evaluate(program(), devset(3), exactMatch, { progress: false });
    expect(report.results).toHaveLength(3);
    expect(report.score).toBe(100);
  });

  it('accepts maxErrors: Infinity', async () => {
    const report = await evaluate(program({ fail: [0, 1, 2] }), devset(3), exactMatch, {
      progress: false,
      maxErrors: Number.POSITIVE_INFINITY,
    });
    expect(report.errors).toBe(3);
  });
});

describe('failed metric results follow maxErrors', () => {
  const failing: [string, Metric][] = [
    [
      'throws',
      (ex) => {
        if (ex.get('question') === 'q3') throw new Error('bad metric');
        return true;
      },
    ],
    ['returns NaN', (ex) => (ex.get('question') === 'q3' ? Number.NaN : true)],
    ['returns a string', (ex) => (ex.get('question') === 'q3' ? ('1' as unknown as number) : true)],
    ['returns 7', (ex) => (ex.get('question') === 'q3' ? 7 : true)],
  ];

  it.each(failing)(
    'a metric that %s on one example of 50 keeps the other 49 results',
    async (_what, metric) => {
      const report = await evaluate(program(), devset(50), metric, { progress: false, concurrency: 4 });
      expect(report.results).toHaveLength(50);
      expect(report.errors).toBe(1);
      expect(report.score).toBe(98);
      const failed = report.results[3];
      expect(failed?.score).toBe(0);
      expect(failed?.error).toMatchObject({ code: 'METRIC_ERROR', details: { index: 3 } });
      expect(failed?.error?.message).toContain('devset[3]');
    },
  );

  it('a built-in metric on a missing field fails each example with its own fix, said once', async () => {
    const report = await evaluate(program(), devset(2), exactMatchOn('answr'), { progress: false });
    expect(report.errors).toBe(2);
    const error = report.results[0]?.error as DspyError;
    expect(error).toMatchObject({ code: 'METRIC_ERROR', details: { index: 0, field: 'answr' } });
    expect(error.message).toContain(
      "metric exactMatch(answr) on devset[0] threw: exactMatch compares the field 'answr'",
    );
    expect(error.message.match(/How to fix/g)).toHaveLength(1);
  });

  it('stopping on the error budget attaches the finished results', async () => {
    const metric: Metric = (ex) => {
      if (['q2', 'q5'].includes(String(ex.get('question')))) throw new Error('bad metric');
      return true;
    };
    const err = await rejection(() =>
      evaluate(program(), devset(10), metric, { progress: false, concurrency: 1, maxErrors: 1 }),
    );
    expect(err.code).toBe('EVALUATE_ERROR_BUDGET');
    expect(err.cause).toMatchObject({ code: 'METRIC_ERROR' });
    const partial = err.details.partial as EvaluationReport;
    expect(partial.results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(partial.results.map((r) => r.score)).toEqual([1, 1, 0, 1, 1, 0]);
    expect(partial.errors).toBe(2);
    expect(partial.interrupted).toBe(true);
    expect(err.message).toContain('devset[2]');
  });

  it('program errors stopping the run attach the finished results too', async () => {
    const err = await rejection(() =>
      evaluate(program({ fail: [1, 3] }), devset(6), exactMatch, {
        progress: false,
        concurrency: 1,
        maxErrors: 1,
      }),
    );
    const partial = err.details.partial as EvaluationReport;
    expect(partial.results.map((r) => r.score)).toEqual([1, 0, 1, 0]);
    expect(partial.results[1]?.error?.message).toBe('boom 1');
  });

  it('a metric that never settles fails its example after metricTimeoutMs', async () => {
    const metric: Metric = (ex) =>
      ex.get('question') === 'q1' ? new Promise<boolean>(() => undefined) : Promise.resolve(true);
    const report = await evaluate(program(), devset(3), metric, { progress: false, metricTimeoutMs: 20 });
    expect(report.errors).toBe(1);
    expect(report.score).toBeCloseTo(200 / 3);
    expect(report.results[1]?.error).toMatchObject({ code: 'METRIC_ERROR', details: { timeoutMs: 20 } });
    expect(report.results[1]?.error?.message).toMatch(/did not settle within 20 ms/);
  });

  it('metricRange rescales scores; booleans stay 1 and 0', async () => {
    const metric: Metric = (ex) =>
      ex.get('question') === 'q0' ? 5 : ex.get('question') === 'q1' ? true : 10;
    const report = await evaluate(program(), devset(3), metric, { progress: false, metricRange: [0, 10] });
    expect(report.results.map((r) => r.score)).toEqual([0.5, 1, 1]);
    expect(report.score).toBeCloseTo(250 / 3);
  });
});

describe('unknown evaluate options', () => {
  it('a misspelt option is OPTION_INVALID with a did-you-mean, before any example runs', async () => {
    const counted = program();
    const options = { concurency: 4, progress: false } as unknown as EvaluateOptions;
    const err = await evaluate(counted, devset(1), exactMatch, options).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'OPTION_INVALID' });
    expect((err as Error).message).toContain("unknown option 'concurency' (did you mean 'concurrency'?)");
    expect(counted.calls).toBe(0);
  });
});
