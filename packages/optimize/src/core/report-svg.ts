import type { CompileReport } from './report.js';

const W = 640;
const H = 320;
const PAD = { left: 48, right: 16, top: 44, bottom: 36 };
/** Baselines of the title line and of the legend line under it (a long title never meets the legend). */
const TITLE_Y = 16;
const LEGEND_Y = 30;

/**
 * A self-contained SVG chart of the score of every trial (dots) and the best score so far
 * (a step line). No scripts, no external resources.
 *
 * @example
 * ```ts
 * await writeFile('report.svg', renderScoreChart(report));
 * ```
 */
export function renderScoreChart(report: CompileReport): string {
  const trials = report.trials;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const n = Math.max(trials.length, 1);
  const x = (i: number) => PAD.left + (n === 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  const y = (s: number) => PAD.top + plotH - (Math.min(Math.max(s, 0), 100) / 100) * plotH;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
  );
  parts.push(`<title>${esc(report.optimizer)}: score over trials</title>`);
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  for (const s of [0, 25, 50, 75, 100]) {
    parts.push(
      `<line x1="${PAD.left}" y1="${fx(y(s))}" x2="${W - PAD.right}" y2="${fx(y(s))}" stroke="#e5e5e5"/>`,
      `<text x="${PAD.left - 6}" y="${fx(y(s) + 4)}" text-anchor="end" fill="#555">${s}</text>`,
    );
  }
  parts.push(
    `<text x="${W / 2}" y="${H - 8}" text-anchor="middle" fill="#333">trial</text>`,
    `<text x="${PAD.left}" y="${TITLE_Y}" fill="#333">${esc(report.optimizer)} — best ${report.bestScore === undefined ? '—' : report.bestScore.toFixed(1)} (stopped by ${report.stoppedBy})</text>`,
  );
  if (trials.length > 0) {
    const step: string[] = [];
    trials.forEach((t, i) => {
      if (i === 0) step.push(`M${fx(x(i))},${fx(y(t.best))}`);
      else step.push(`H${fx(x(i))}V${fx(y(t.best))}`);
    });
    parts.push(`<path d="${step.join('')}" fill="none" stroke="#2b7bb9" stroke-width="2"/>`);
    trials.forEach((t, i) => {
      parts.push(
        `<circle cx="${fx(x(i))}" cy="${fx(y(t.score))}" r="3" fill="#e07b39"><title>trial ${t.trial}: candidate ${t.candidateId}, score ${t.score.toFixed(1)}</title></circle>`,
      );
      if (n <= 30 || i % Math.ceil(n / 30) === 0) {
        parts.push(
          `<text x="${fx(x(i))}" y="${H - PAD.bottom + 14}" text-anchor="middle" fill="#555">${t.trial}</text>`,
        );
      }
    });
  }
  parts.push(
    `<g transform="translate(${PAD.left},${LEGEND_Y - 4})"><circle cx="4" cy="0" r="3" fill="#e07b39"/><text x="12" y="4">trial score</text><line x1="82" y1="0" x2="98" y2="0" stroke="#2b7bb9" stroke-width="2"/><text x="102" y="4">best so far</text></g>`,
  );
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function fx(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
