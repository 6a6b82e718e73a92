import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompileReport } from './report.js';
import { renderScoreChart } from './report-svg.js';
import { formatReport } from './report-text.js';

/** Paths written by {@link saveReport}. */
export interface SavedReport {
  readonly json: string;
  readonly text: string;
  readonly svg: string;
}

/**
 * Writes `report.json`, `report.txt` (the table) and `report.svg` (score over trials) into
 * `dir`, each atomically (temp file + rename). Put them beside the artifact.
 *
 * @example
 * ```ts
 * const { program, report } = await new BootstrapRS({ metric }).compile(qa, { trainset });
 * await program.save('out/qa.json');
 * await saveReport(report, 'out');
 * ```
 */
export async function saveReport(
  report: CompileReport,
  dir: string,
  prefix = 'report',
): Promise<SavedReport> {
  await mkdir(dir, { recursive: true });
  const out: SavedReport = {
    json: join(dir, `${prefix}.json`),
    text: join(dir, `${prefix}.txt`),
    svg: join(dir, `${prefix}.svg`),
  };
  await atomicWrite(out.json, `${JSON.stringify(report, null, 2)}\n`);
  await atomicWrite(out.text, formatReport(report));
  await atomicWrite(out.svg, renderScoreChart(report));
  return out;
}

async function atomicWrite(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}
