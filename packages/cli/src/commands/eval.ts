import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Artifact, evaluate } from '@dspy-ts/core';
import { applyArtifactTo, programForArtifact, readArtifact } from '../artifact-program.js';
import { type Io, intFlag, type LMFlags, prepare, type RunContext, writeJson } from '../context.js';
import { loadDataset, parseInputsFlag } from '../dataset.js';
import { EXIT_OK, usageError } from '../errors.js';
import { checkMetricField, chooseMetric, resolveMetric } from '../metric.js';
import { budgetFlags } from '../optimizers.js';
import {
  inputKeysFor,
  type LoadedProgram,
  loadProgram,
  type ProgramRef,
  parseProgramRef,
  signaturesOf,
} from '../program.js';
import { loadGeneratedFor } from '../project.js';
import { openQueueRunner, type QueueFlags, queueTarget } from '../queue.js';

/** Flags of `dspy-ts eval`. */
export interface EvalFlags extends LMFlags, QueueFlags {
  readonly devset: string;
  readonly program?: string;
  readonly inputs?: string;
  readonly metric?: string;
  readonly saveAs?: string;
  readonly project?: string;
  readonly generated?: string;
  readonly table?: boolean;
  readonly allowSignatureDrift?: boolean;
  readonly maxErrors?: string;
  readonly maxCost?: string;
  readonly maxTokens?: string;
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

/**
 * Loads `target`: a program reference, or an artifact applied to the program named by
 * `--program` (or the config file). The artifact, if any, is returned beside it.
 */
async function programFor(
  target: string,
  flags: EvalFlags,
  ctx: RunContext,
  io: Io,
): Promise<{ program: LoadedProgram; ref: ProgramRef; artifact?: Artifact }> {
  if (!isArtifactPath(target)) {
    await loadGeneratedFor(flags, ctx.config, io);
    const ref = parseProgramRef(target);
    return { program: await loadProgram(ref), ref };
  }
  const { artifact, file } = await readArtifact(target);
  const ref = programForArtifact(flags.program, ctx.config, artifact, file, io);
  await loadGeneratedFor(flags, ctx.config, io);
  const program = await loadProgram(ref);
  applyArtifactTo(program, artifact, flags.allowSignatureDrift);
  return { program, ref, artifact };
}

function firstLine(err: Error): string {
  return err.message.split('\n')[0] ?? err.message;
}

/** `dspy-ts eval <program|artifact> --devset F`: scores the program and prints (or saves) the results. */
export async function evalCommand(target: string, flags: EvalFlags, io: Io): Promise<number> {
  if (target.endsWith('.json') && !existsSync(resolve(target))) {
    throw usageError(`artifact not found: ${target}`, resolve(target), 'Check the path of the artifact.');
  }
  const maxErrors = intFlag(flags.maxErrors, '--max-errors', 0);
  const budget = budgetFlags(flags);
  // On workers every LM call is theirs: this process needs no key for its LM.
  const onWorkers = queueTarget(flags, 'eval') !== undefined;
  const ctx = await prepare(flags, io, process.cwd(), { callsHere: !onWorkers });
  const { program, ref, artifact } = await programFor(target, flags, ctx, io);
  const inputsFlag = parseInputsFlag(flags.inputs);
  const devset = await loadDataset(
    flags.devset,
    (rows) => inputKeysFor(program, Object.keys(rows[0] ?? {}), inputsFlag),
    signaturesOf(program),
    true,
  );
  const choice = chooseMetric(flags.metric, artifact);
  checkMetricField(choice, program, devset, flags.devset);
  const metric = await resolveMetric(choice.text, program);
  // With --redis (or DSPY_TS_REDIS_URL) the examples run on `dspy-ts worker` processes; a
  // budget then keeps its total in the same Redis, where the workers check each call against it.
  const runner = await openQueueRunner(flags, {
    command: 'eval',
    program: ref,
    ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
    io,
  });
  // A budgeted run on workers keeps its total in Redis: what it spent is read from there, as the
  // calls were made by the workers.
  const budgetLedger = runner && Object.keys(budget).length > 0 ? runner.budgetLedger() : undefined;
  let report: Awaited<ReturnType<typeof evaluate>>;
  let spent: { readonly cost: number; readonly tokens: number } | undefined;
  try {
    report = await evaluate(program, devset, metric, {
      progress: Boolean(process.stderr.isTTY) && !flags.json,
      // On workers, --concurrency caps the examples queued at once (QueueRunner's own option).
      // Ctrl-C takes the run's jobs off the queue (workers would otherwise run them for no one).
      ...(runner
        ? { runner, handleSigint: true }
        : ctx.concurrency !== undefined
          ? { concurrency: ctx.concurrency }
          : {}),
      ...(maxErrors !== undefined ? { maxErrors } : {}),
      ...budget,
      ...(flags.saveAs ? { saveAs: resolve(flags.saveAs) } : {}),
      ...(flags.table && !flags.json ? { displayTable: 20, tableStream: io.stdout } : {}),
      ...(budgetLedger ? { budgetLedger } : {}),
    });
    if (budgetLedger) spent = await budgetLedger.spent();
    else if (report.usage) spent = { cost: report.usage.cost, tokens: report.usage.totalTokens };
  } finally {
    await runner?.close();
  }
  if (flags.json) {
    writeJson(io, {
      score: report.score,
      examples: report.results.length,
      errors: report.errors,
      metric: choice.text,
      ...(flags.saveAs ? { savedAs: resolve(flags.saveAs) } : {}),
      ...(spent ? { cost: spent.cost, tokens: spent.tokens } : {}),
      ...(report.budgetExhausted
        ? { stoppedBy: 'budget', stopDetail: firstLine(report.budgetExhausted) }
        : {}),
    });
  } else {
    io.stdout.write(
      `score: ${report.score.toFixed(1)}% on ${report.results.length} example(s), ${report.errors} error(s) (metric ${choice.text})\n`,
    );
    if (flags.saveAs) io.stdout.write(`results: ${flags.saveAs}\n`);
    if (spent) io.stdout.write(`spent: $${spent.cost.toFixed(4)}, ${spent.tokens} tokens\n`);
  }
  if (report.budgetExhausted) {
    io.stderr.write(
      `dspy-ts: ${firstLine(report.budgetExhausted)} The score covers the ${report.results.length} of ${devset.length} examples that finished${flags.saveAs ? ` (saved to ${flags.saveAs})` : ''}; raise --max-cost / --max-tokens to score them all.\n`,
    );
  }
  return report.errors === report.results.length && report.results.length > 0 ? 1 : EXIT_OK;
}
