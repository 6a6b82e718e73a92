import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyArtifact, evaluate } from '@dspy-ts/core';
import { programForArtifact, readArtifact } from '../artifact-program.js';
import { type Io, type LMFlags, prepare, writeJson } from '../context.js';
import { loadDataset, parseInputsFlag } from '../dataset.js';
import { EXIT_OK, usageError } from '../errors.js';
import { resolveMetric } from '../metric.js';
import { inputKeysFor, type LoadedProgram, loadProgram, parseProgramRef, signaturesOf } from '../program.js';
import { loadGeneratedFor } from '../project.js';

/** Flags of `dspy-ts eval`. */
export interface EvalFlags extends LMFlags {
  readonly devset: string;
  readonly program?: string;
  readonly inputs?: string;
  readonly metric?: string;
  readonly saveAs?: string;
  readonly project?: string;
  readonly generated?: string;
  readonly table?: boolean;
}

/** True when `target` names an artifact file (a `.json` file holding a dspy-ts artifact). */
export function isArtifactPath(target: string): boolean {
  if (target.includes('#') || !target.endsWith('.json')) return false;
  const file = resolve(target);
  if (!existsSync(file)) return true;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown }).format === 'dspy-ts.artifact';
  } catch {
    return true;
  }
}

/** Loads `target` (a program reference, or an artifact applied to its program). */
export async function programFor(target: string, programFlag: string | undefined): Promise<LoadedProgram> {
  if (!isArtifactPath(target)) return loadProgram(parseProgramRef(target));
  const { artifact, file } = await readArtifact(target);
  const program = await loadProgram(programForArtifact(programFlag, artifact, file));
  applyArtifact(program, artifact);
  return program;
}

/** `dspy-ts eval <program|artifact> --devset F`: scores the program and prints (or saves) the results. */
export async function evalCommand(target: string, flags: EvalFlags, io: Io): Promise<number> {
  if (target.endsWith('.json') && !existsSync(resolve(target))) {
    throw usageError(`artifact not found: ${target}`, resolve(target), 'Check the path of the artifact.');
  }
  const ctx = await prepare(flags, io);
  await loadGeneratedFor(flags, ctx.config);
  const program = await programFor(target, flags.program);
  const inputsFlag = parseInputsFlag(flags.inputs);
  const devset = await loadDataset(
    flags.devset,
    (rows) => inputKeysFor(program, Object.keys(rows[0] ?? {}), inputsFlag),
    signaturesOf(program),
  );
  const metric = await resolveMetric(flags.metric, program);
  const report = await evaluate(program, devset, metric, {
    progress: Boolean(process.stderr.isTTY) && !flags.json,
    ...(ctx.concurrency !== undefined ? { concurrency: ctx.concurrency } : {}),
    ...(flags.saveAs ? { saveAs: resolve(flags.saveAs) } : {}),
    ...(flags.table && !flags.json ? { displayTable: 20, tableStream: io.stdout } : {}),
  });
  if (flags.json) {
    writeJson(io, {
      score: report.score,
      examples: report.results.length,
      errors: report.errors,
      ...(flags.saveAs ? { savedAs: resolve(flags.saveAs) } : {}),
    });
  } else {
    io.stdout.write(
      `score: ${report.score.toFixed(1)}% on ${report.results.length} example(s), ${report.errors} error(s)\n`,
    );
    if (flags.saveAs) io.stdout.write(`results: ${flags.saveAs}\n`);
  }
  return report.errors === report.results.length && report.results.length > 0 ? 1 : EXIT_OK;
}
