import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DspyError,
  type Example,
  evaluate,
  exactMatch,
  type Metric,
  type Prediction,
  withSettings,
} from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';
import { devset, program } from './helpers.js';

describe('evaluate', () => {
  it('averages over the whole devset with failures counted as failureScore', async () => {
    const report = await evaluate(program({ fail: [1], wrong: [2] }), devset(4), exactMatch, {
      progress: false,
    });
    expect(report.score).toBe(50);
    expect(report.errors).toBe(1);
    expect(report.results.map((r) => r.score)).toEqual([1, 0, 0, 1]);
    expect(report.results[1]?.error?.message).toBe('boom 1');
    expect(report.results[1]?.prediction).toBeUndefined();
    expect(report.interrupted).toBe(false);
  });

  it('uses failureScore for failed examples', async () => {
    const report = await evaluate(program({ fail: [0] }), devset(2), exactMatch, {
      failureScore: 0.5,
      progress: false,
    });
    expect(report.score).toBe(75);
  });

  it('keeps results in devset order under concurrency', async () => {
    const p = {
      async forward(inputs: Record<string, unknown>) {
        const i = Number(String(inputs.question).slice(1));
        await new Promise((r) => setTimeout(r, (10 - i) * 2));
        return new (await import('@dspy-ts/core')).Prediction({ answer: `a${i}` });
      },
    };
    const report = await evaluate(p, devset(10), exactMatch, { concurrency: 10, progress: false });
    expect(report.results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(report.score).toBe(100);
  });

  it('never runs more than `concurrency` programs at once', async () => {
    let running = 0;
    let peak = 0;
    const p = {
      async forward() {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 2));
        running -= 1;
        return new (await import('@dspy-ts/core')).Prediction({ answer: 'x' });
      },
    };
    await evaluate(p, devset(20), exactMatch, { concurrency: 3, progress: false });
    expect(peak).toBe(3);
  });

  it('takes concurrency and maxErrors from settings', async () => {
    const err = await withSettings({ maxErrors: 0, numThreads: 1 }, () =>
      evaluate(program({ fail: [0] }), devset(3), exactMatch, { progress: false }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DspyError);
    expect((err as DspyError).code).toBe('EVALUATE_ERROR_BUDGET');
  });

  it('stops at the second error with maxErrors 1, listing the first errors', async () => {
    const p = program({ fail: [1, 3, 5] });
    const err = await evaluate(p, devset(8), exactMatch, {
      maxErrors: 1,
      concurrency: 1,
      progress: false,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DspyError);
    expect((err as DspyError).code).toBe('EVALUATE_ERROR_BUDGET');
    expect((err as DspyError).message).toContain('devset[1]: boom 1');
    expect((err as DspyError).message).toContain('devset[3]: boom 3');
    expect(p.calls).toBe(4);
  });

  it('tolerates exactly maxErrors errors', async () => {
    const report = await evaluate(program({ fail: [1] }), devset(3), exactMatch, {
      maxErrors: 1,
      progress: false,
    });
    expect(report.errors).toBe(1);
  });

  it('records a metric that throws as a METRIC_ERROR naming the example, and goes on', async () => {
    const report = await evaluate(
      program(),
      devset(4),
      (ex) => {
        if (ex.question === 'q2') throw new Error('bad metric');
        return true;
      },
      { progress: false },
    );
    expect(report.score).toBe(75);
    expect(report.errors).toBe(1);
    const failed = report.results[2];
    expect(failed?.error).toMatchObject({ code: 'METRIC_ERROR' });
    expect(failed?.error?.message).toContain('devset[2]');
    expect(failed?.error?.message).toContain('bad metric');
    expect((failed?.error?.cause as Error | undefined)?.message).toBe('bad metric');
    expect(failed?.prediction?.toJSON()).toEqual({ answer: 'a2' });
  });

  it('records a metric returning NaN as a failed example', async () => {
    const report = await evaluate(program(), devset(2), () => Number.NaN, { progress: false });
    expect(report.errors).toBe(2);
    expect(report.results[0]?.error).toMatchObject({ code: 'METRIC_ERROR' });
    expect(report.results[0]?.error?.message).toContain('NaN');
  });

  it('accepts async metrics returning { score, feedback }', async () => {
    type Row = Example<{ question: string; answer: string }>;
    const metric: Metric<Row, Prediction<{ answer: string }>> = async (ex, pred) => ({
      score: pred.answer === ex.answer ? 1 : 0.25,
      feedback: `expected ${String(ex.answer)}`,
    });
    const report = await evaluate(program({ wrong: [0] }), devset(2), metric, { progress: false });
    expect(report.score).toBe(62.5);
    expect(report.results[0]?.feedback).toBe('expected a0');
  });

  it('returns partial results when aborted', async () => {
    const controller = new AbortController();
    let calls = 0;
    const p = {
      async forward(inputs: Record<string, unknown>) {
        calls += 1;
        if (calls === 3) controller.abort();
        return new (await import('@dspy-ts/core')).Prediction({
          answer: `a${String(inputs.question).slice(1)}`,
        });
      },
    };
    const report = await evaluate(p, devset(50), exactMatch, {
      concurrency: 1,
      signal: controller.signal,
      progress: false,
    });
    expect(report.interrupted).toBe(true);
    expect(report.results.length).toBe(2);
    expect(report.results.map((r) => r.index)).toEqual([0, 1]);
    expect(report.score).toBe(100);
    expect(calls).toBeLessThan(50);
  });

  it('returns partial results on SIGINT when handleSigint is on', async () => {
    let calls = 0;
    const p = {
      async forward() {
        calls += 1;
        if (calls === 2) process.emit('SIGINT');
        return new (await import('@dspy-ts/core')).Prediction({ answer: 'a0' });
      },
    };
    const before = process.listenerCount('SIGINT');
    const report = await evaluate(p, devset(20), exactMatch, {
      concurrency: 1,
      handleSigint: true,
      progress: false,
    });
    expect(report.interrupted).toBe(true);
    expect(report.results.length).toBe(1);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('returns at once with an already aborted signal', async () => {
    const report = await evaluate(program(), devset(3), exactMatch, {
      signal: AbortSignal.abort(),
      progress: false,
    });
    expect(report.interrupted).toBe(true);
    expect(report.results).toEqual([]);
  });

  it('rejects an empty devset and examples without inputs', async () => {
    await expect(evaluate(program(), [], exactMatch)).rejects.toMatchObject({ code: 'DATASET_INVALID' });
    const { Example } = await import('@dspy-ts/core');
    await expect(evaluate(program(), [new Example({ q: 1 })], exactMatch)).rejects.toThrow(/devset\[0\]/);
  });

  it('writes the progress line to the given stream', async () => {
    let text = '';
    await evaluate(program({ wrong: [1] }), devset(2), exactMatch, {
      progressStream: { write: (t: string) => (text += t) },
    });
    expect(text).toContain('Average metric: 1.0 / 2 (50.0%)');
  });

  it('emits evaluateStart and evaluateEnd', async () => {
    const events: string[] = [];
    await withSettings({ callbacks: [{ onEvent: (name) => events.push(name) }] }, () =>
      evaluate(program(), devset(2), exactMatch, { progress: false }),
    );
    expect(events).toEqual(['evaluateStart', 'evaluateEnd']);
  });

  it('saves CSV and JSON results and prints a table', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dspy-eval-'));
    let table = '';
    const report = await evaluate(program({ fail: [1] }), devset(2), exactMatch, {
      progress: false,
      saveAs: join(dir, 'out.csv'),
      displayTable: true,
      tableStream: { write: (t: string) => (table += t) },
    });
    const csv = await readFile(join(dir, 'out.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      'index,example.question,example.answer,pred.answer,score,error,feedback',
    );
    expect(csv).toContain('1,q1,a1,,0,boom 1,');
    expect(table).toContain('example.question');
    await evaluate(program(), devset(2), exactMatch, { progress: false, saveAs: join(dir, 'out.json') });
    const json = JSON.parse(await readFile(join(dir, 'out.json'), 'utf8'));
    expect(json.score).toBe(100);
    expect(json.results[1]).toMatchObject({
      index: 1,
      example: { question: 'q1' },
      prediction: { answer: 'a1' },
    });
    expect(report.errors).toBe(1);
  });
});
