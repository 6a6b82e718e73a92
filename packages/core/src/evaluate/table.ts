import { cellText } from './csv.js';
import { resultColumns, resultValue } from './results.js';
import type { EvaluationResult } from './types.js';

/** Options of {@link formatResultsTable}. */
export interface TableOptions {
  /** Columns to show (`example.question`, `pred.answer`, `score`, `error`, ...); default: all. */
  readonly fields?: readonly string[];
  /** Rows shown before a `... N more` line (default 20). */
  readonly maxRows?: number;
  /** Longest cell, in characters, before it is cut with `…` (default 40). */
  readonly maxCellWidth?: number;
}

function clip(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, Math.max(1, width - 1))}…` : flat;
}

function scoreText(value: unknown): string {
  return typeof value === 'number' ? String(Number(value.toFixed(3))) : cellText(value);
}

/**
 * Renders evaluation results as a plain-text table for the terminal: one row per example,
 * cells flattened to one line and cut to `maxCellWidth`.
 *
 * @example
 * ```ts
 * console.log(formatResultsTable(report.results, { fields: ['example.question', 'pred.answer', 'score'] }));
 * ```
 */
export function formatResultsTable(results: readonly EvaluationResult[], options: TableOptions = {}): string {
  const maxRows = options.maxRows ?? 20;
  const width = options.maxCellWidth ?? 40;
  const hasErrors = results.some((r) => r.error);
  const columns = options.fields
    ? [...options.fields]
    : [...resultColumns(results), ...(hasErrors ? ['error'] : [])];
  const shown = results.slice(0, Math.max(0, maxRows));
  const header = ['#', ...columns];
  const rows = shown.map((r) => [
    String(r.index),
    ...columns.map((c) => clip(c === 'score' ? scoreText(r.score) : cellText(resultValue(r, c)), width)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.map(line)];
  if (results.length > shown.length) out.push(`... ${results.length - shown.length} more rows`);
  return out.join('\n');
}
