import { DspyError } from '../errors.js';
import { cellText, toCsv } from './csv.js';
import type { EvaluationReport, EvaluationResult } from './types.js';

function fieldsOf(value: { toJSON(): object } | undefined): Record<string, unknown> {
  return (value?.toJSON() ?? {}) as Record<string, unknown>;
}

/** The column names of a results table: example fields, then prediction fields, then score. */
export function resultColumns(results: readonly EvaluationResult[]): string[] {
  const exampleKeys = new Set<string>();
  const predKeys = new Set<string>();
  for (const r of results) {
    for (const k of r.example.keys()) exampleKeys.add(k);
    for (const k of Object.keys(fieldsOf(r.prediction))) predKeys.add(k);
  }
  return [...[...exampleKeys].map((k) => `example.${k}`), ...[...predKeys].map((k) => `pred.${k}`), 'score'];
}

/** The value of a column (`example.x`, `pred.x`, `score`, `error`, `feedback`, `index`) in a result. */
export function resultValue(result: EvaluationResult, column: string): unknown {
  if (column.startsWith('example.')) return fieldsOf(result.example)[column.slice(8)];
  if (column.startsWith('pred.')) return fieldsOf(result.prediction)[column.slice(5)];
  switch (column) {
    case 'score':
      return result.score;
    case 'error':
      return result.error?.message;
    case 'feedback':
      return result.feedback;
    case 'index':
      return result.index;
    default:
      return fieldsOf(result.example)[column] ?? fieldsOf(result.prediction)[column];
  }
}

/** Evaluation results as RFC 4180 CSV: index, example fields, prediction fields, score, error, feedback. */
export function resultsToCsv(results: readonly EvaluationResult[]): string {
  const columns = ['index', ...resultColumns(results), 'error', 'feedback'];
  return toCsv(
    columns,
    results.map((r) => columns.map((c) => cellText(resultValue(r, c)))),
  );
}

/** An evaluation report as plain JSON data. */
export function reportToJson(report: EvaluationReport): Record<string, unknown> {
  return {
    score: report.score,
    total: report.results.length,
    errors: report.errors,
    interrupted: report.interrupted,
    elapsedMs: report.elapsedMs,
    results: report.results.map((r) => ({
      index: r.index,
      example: r.example.toJSON(),
      prediction: r.prediction ? r.prediction.toJSON() : null,
      score: r.score,
      ...(r.error ? { error: r.error.message } : {}),
      ...(r.feedback !== undefined ? { feedback: r.feedback } : {}),
    })),
  };
}

/**
 * Writes a report atomically to `path`: CSV when it ends in `.csv`, JSON when it ends in `.json`.
 *
 * @example
 * ```ts
 * await saveResults(report, 'dev-results.csv');
 * ```
 */
export async function saveResults(report: EvaluationReport, path: string): Promise<void> {
  const lower = path.toLowerCase();
  let text: string;
  if (lower.endsWith('.csv')) text = resultsToCsv(report.results);
  else if (lower.endsWith('.json')) text = `${JSON.stringify(reportToJson(report), null, 2)}\n`;
  else {
    throw new DspyError('ARTIFACT_IO', `Cannot save evaluation results to '${path}': unknown file type.`, {
      details: { where: path, fix: "Use a path ending in '.csv' or '.json'." },
    });
  }
  // The file writer loads on first save: an app that never saves results does not carry it.
  const { writeFileAtomic } = await import('../artifact/atomic.js');
  await writeFileAtomic(path, text);
}
