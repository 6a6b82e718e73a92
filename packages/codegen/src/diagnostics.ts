import type { BuildDiagnostic } from './types.js';

/**
 * Renders diagnostics as `file:line:col  Symbol: reason` lines, one per diagnostic.
 *
 * @example
 * ```ts
 * const result = await build({ project: 'tsconfig.json' });
 * if (result.diagnostics.length) process.stderr.write(`${formatDiagnostics(result.diagnostics)}\n`);
 * ```
 */
export function formatDiagnostics(diagnostics: readonly BuildDiagnostic[]): string {
  return diagnostics.map((d) => `${d.file}:${d.line}:${d.column}  ${d.symbol}: ${d.message}`).join('\n');
}

/** Orders diagnostics by file, line, column, then message (a stable, readable order). */
export function sortDiagnostics(diagnostics: readonly BuildDiagnostic[]): BuildDiagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compareText(a.symbol, b.symbol) ||
      compareText(a.message, b.message),
  );
}

/** Locale-independent string comparison (deterministic output on every machine). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
