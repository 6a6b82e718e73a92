import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvaluationReport, EvaluationResult } from '@dspy-ts/core';
import { Example, formatResultsTable, Prediction, resultsToCsv, saveResults } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';

const results: EvaluationResult[] = [
  {
    index: 0,
    example: new Example({ question: 'say "hi", then\nstop', answer: 'hi' }).withInputs('question'),
    prediction: new Prediction({ answer: 'hi' }),
    score: 1,
  },
  {
    index: 1,
    example: new Example({ question: 'x'.repeat(100), answer: 'y' }).withInputs('question'),
    prediction: undefined,
    score: 0,
    error: new Error('failed, badly'),
  },
];

describe('results output', () => {
  it('writes RFC 4180 CSV', () => {
    const csv = resultsToCsv(results);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('index,example.question,example.answer,pred.answer,score,error,feedback');
    expect(csv).toContain('0,"say ""hi"", then\nstop",hi,hi,1,,\r\n');
    expect(csv).toContain(',"failed, badly",');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('formats a readable table with truncated cells and a row limit', () => {
    const table = formatResultsTable(results, { maxCellWidth: 20 });
    const lines = table.split('\n');
    expect(lines[0]).toMatch(
      /^# \| example\.question +\| example\.answer \| pred\.answer \| score \| error$/,
    );
    expect(lines[2]).toContain('say "hi", then stop');
    expect(lines[3]).toContain(`${'x'.repeat(19)}…`);
    expect(lines[3]).not.toContain('x'.repeat(21));
    const short = formatResultsTable(results, { maxRows: 1, fields: ['pred.answer', 'score'] });
    expect(short.split('\n')).toHaveLength(4);
    expect(short).toContain('... 1 more rows');
    expect(short.split('\n')[0]).toBe('# | pred.answer | score');
  });

  it('saves a report as CSV or JSON (the file writer loads on first save) and refuses other extensions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dspy-results-'));
    const report: EvaluationReport = { score: 50, results, errors: 1, elapsedMs: 3, interrupted: false };
    await saveResults(report, join(dir, 'dev.csv'));
    expect(await readFile(join(dir, 'dev.csv'), 'utf8')).toBe(resultsToCsv(results));
    await saveResults(report, join(dir, 'dev.JSON'));
    const json = JSON.parse(await readFile(join(dir, 'dev.JSON'), 'utf8')) as {
      score: number;
      results: unknown[];
    };
    expect(json.score).toBe(50);
    expect(json.results).toHaveLength(2);
    await expect(saveResults(report, join(dir, 'dev.txt'))).rejects.toMatchObject({ code: 'ARTIFACT_IO' });
  });
});
