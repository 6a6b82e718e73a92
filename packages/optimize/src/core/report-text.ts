import type { CompileReport, PhaseUsage } from './report.js';

/**
 * The report as a readable text table: every candidate with its score and rank, then the
 * spend per phase.
 *
 * @example
 * ```ts
 * console.log(formatReport(report));
 * ```
 */
export function formatReport(report: CompileReport): string {
  const lines: string[] = [];
  lines.push(`${report.optimizer} (seed ${report.seed}) — stopped by: ${report.stoppedBy}`);
  if (report.stopDetail) lines.push(`  ${report.stopDetail}`);
  lines.push(
    `train ${report.trainSize}, val ${report.valSize}; baseline ${fmtScore(report.baselineScore)}, best ${fmtScore(report.bestScore)}` +
      (report.bestCandidateId === undefined ? '' : ` (candidate ${report.bestCandidateId})`),
  );
  lines.push('');
  lines.push(
    table(
      ['rank', 'id', 'candidate', 'score', 'demos'],
      report.candidates.map((c) => [
        String(c.rank ?? ''),
        String(c.id),
        c.label,
        fmtScore(c.score),
        Object.entries(c.demos)
          .map(([p, n]) => `${p}:${n}`)
          .join(' '),
      ]),
    ),
  );
  lines.push('');
  const phaseRows = Object.entries(report.phases).map(([name, u]) => phaseRow(name, u));
  phaseRows.push(phaseRow('total', report.total));
  lines.push(
    table(['phase', 'LM calls', 'cache hits', 'prompt tok', 'completion tok', 'cost $', 'wall s'], phaseRows),
  );
  lines.push('');
  lines.push(`DSPy-implied LM calls: ${report.dspyImpliedCalls.calls} (${report.dspyImpliedCalls.how})`);
  if (report.resumedSteps > 0) lines.push(`steps resumed from checkpoint: ${report.resumedSteps}`);
  for (const n of report.notes) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}

function phaseRow(name: string, u: PhaseUsage): string[] {
  return [
    name,
    String(u.lmCalls),
    String(u.cacheHits),
    String(u.promptTokens),
    String(u.completionTokens),
    u.cost.toFixed(4),
    (u.wallMs / 1000).toFixed(2),
  ];
}

function fmtScore(s: number | undefined): string {
  return s === undefined ? '—' : s.toFixed(1);
}

/** A plain left-aligned table with a header rule. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
