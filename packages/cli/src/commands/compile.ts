import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { saveArtifact } from '@dspy-ts/core';
import { formatEstimate, type OptimizerOptions, saveReport } from '@dspy-ts/optimize';
import { compiledArtifact, formatReport } from '@dspy-ts/optimize/internal';
import { type Io, type LMFlags, prepare, type RunContext, writeJson } from '../context.js';
import { loadDataset, parseInputsFlag } from '../dataset.js';
import { EXIT_OK, usageError } from '../errors.js';
import { checkMetricField, chooseMetric, resolveMetric } from '../metric.js';
import {
  budgetFlags,
  type CliOptimizer,
  createOptimizer,
  OPTIMIZERS,
  parseOptionsJson,
} from '../optimizers.js';
import { inputKeysFor, loadProgram, parseProgramRef, signaturesOf } from '../program.js';
import { loadGeneratedFor } from '../project.js';
import { openQueueRunner, type QueueFlags, queueTarget } from '../queue.js';

/** Flags of `dspy-ts compile`. */
export interface CompileFlags extends LMFlags, QueueFlags {
  readonly optimizer: string;
  readonly trainset: string;
  readonly valset?: string;
  readonly inputs?: string;
  readonly metric?: string;
  readonly seed?: string;
  readonly budget?: string;
  readonly maxCost?: string;
  readonly maxTokens?: string;
  readonly dryRun?: boolean;
  readonly options?: string;
  readonly resume?: boolean;
  readonly checkpoint?: string;
  /** Required unless `dryRun`. */
  readonly out?: string;
  readonly project?: string;
  readonly generated?: string;
}

/** The optimizer options of the command line's flags (the runner aside). */
function optimizerOptions(
  flags: CompileFlags,
  budget: ReturnType<typeof budgetFlags>,
  seed: number | undefined,
  ctx: RunContext,
): OptimizerOptions {
  return {
    ...budget,
    ...(seed !== undefined ? { seed } : {}),
    ...(ctx.concurrency !== undefined ? { numThreads: ctx.concurrency } : {}),
    progress: Boolean(process.stderr.isTTY) && !flags.json,
  };
}

/** A path as the user reads it: relative to the working directory when inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}

/** The report files' prefix beside the artifact: `out/triage.json` → `out/triage.report.*`. */
export function reportPrefix(out: string): { dir: string; prefix: string } {
  const base = basename(out, extname(out));
  return { dir: dirname(out), prefix: `${base}.report` };
}

/**
 * `dspy-ts compile <program> --optimizer <name> --trainset F --out artifact.json`: compiles the
 * program, writes the artifact (with the program's module path in its provenance) and the
 * report beside it.
 */
export async function compileCommand(programText: string, flags: CompileFlags, io: Io): Promise<number> {
  const known = Object.keys(OPTIMIZERS).map((k) => k.toLowerCase());
  if (!known.includes(flags.optimizer.toLowerCase())) {
    throw usageError(
      `unknown optimizer '${flags.optimizer}'`,
      '--optimizer',
      `Use one of ${Object.keys(OPTIMIZERS).join(', ')}.`,
    );
  }
  const seed = flags.seed === undefined ? undefined : Number(flags.seed);
  if (seed !== undefined && !Number.isInteger(seed)) {
    throw usageError(
      `--seed must be an integer, not '${flags.seed}'`,
      '--seed',
      'Pass --seed 0, for example.',
    );
  }
  if (!flags.dryRun && flags.out === undefined) {
    throw usageError(
      "required option '--out <file>' not specified",
      '--out',
      'Pass --out out/program.json (or --dry-run to only see the plan).',
    );
  }
  const budget = budgetFlags(flags);
  const extra = parseOptionsJson(flags.options);
  if (!flags.dryRun) queueTarget(flags, 'compile');
  const ref = parseProgramRef(programText);
  const ctx = await prepare(flags, io);
  await loadGeneratedFor(flags, ctx.config, io);
  const program = await loadProgram(ref);
  const inputsFlag = parseInputsFlag(flags.inputs);
  const keysFor = (rows: Record<string, unknown>[]) =>
    inputKeysFor(program, Object.keys(rows[0] ?? {}), inputsFlag);
  const specs = signaturesOf(program);
  const trainset = await loadDataset(flags.trainset, keysFor, specs);
  const valset = flags.valset ? await loadDataset(flags.valset, keysFor, specs) : undefined;
  const choice = chooseMetric(flags.metric);
  checkMetricField(choice, program, trainset, flags.trainset);
  const metric = await resolveMetric(choice.text, program);
  const data = { trainset, ...(valset ? { valset } : {}) };
  if (flags.dryRun) {
    // The plan and its cost, from the settings and rendered prompts: nothing is called or written.
    const optimizer = createOptimizer(
      flags.optimizer,
      metric,
      optimizerOptions(flags, budget, seed, ctx),
      extra,
    );
    const estimate = optimizer.estimate(program, data);
    if (flags.json) writeJson(io, estimate);
    else io.stdout.write(formatEstimate(estimate));
    return EXIT_OK;
  }
  const out = resolve(flags.out as string);
  // With a budget, progress is kept so a run the budget stops can go on with --resume.
  const budgeted = Object.keys(budget).length > 0;
  const checkpoint = flags.checkpoint ?? (flags.resume || budgeted ? `${out}.ckpt.jsonl` : undefined);
  // With --redis (or DSPY_TS_REDIS_URL) the candidate evaluations run on `dspy-ts worker`
  // processes; bootstrapping and proposals stay here. A budget keeps its total in that Redis.
  const runner = await openQueueRunner(flags, { command: 'compile', program: ref, io });
  let result: Awaited<ReturnType<CliOptimizer['compile']>>;
  try {
    const optimizer = createOptimizer(
      flags.optimizer,
      metric,
      // Ctrl-C takes the run's jobs off the queue (workers would otherwise run them for no one).
      { ...optimizerOptions(flags, budget, seed, ctx), ...(runner ? { runner, handleSigint: true } : {}) },
      extra,
    );
    result = await optimizer.compile(program, {
      trainset,
      ...(valset ? { valset } : {}),
      ...(checkpoint ? { checkpoint: resolve(checkpoint) } : {}),
      ...(flags.resume ? { resume: true } : {}),
    });
  } finally {
    await runner?.close();
  }
  const { program: compiled, report } = result;
  const moduleFile = resolve(ref.module);
  const artifact = compiledArtifact(compiled, {
    provenance: {
      program: {
        module: relative(dirname(out), moduleFile).split('\\').join('/'),
        export: ref.exportName,
      },
    },
  });
  // Media in demos above the inline limit go to files beside the artifact, as Module.save does.
  await saveArtifact(artifact, out);
  const { dir, prefix } = reportPrefix(out);
  const saved = await saveReport(report, dir, prefix);
  // Optimizers that never score candidates (LabeledFewShot, BootstrapFewShot) finish without a
  // best score; only a run cut short before any scoring deserves the warning.
  if (report.bestScore === undefined && report.stoppedBy !== 'completed') {
    io.stderr.write(
      `dspy-ts: no candidate was scored before the run stopped (${report.stoppedBy}); the artifact may hold the program as it was. Raise --budget or lower the optimizer's options.\n`,
    );
  }
  if (report.stoppedBy === 'budget') {
    const resume = checkpoint
      ? `; its finished steps are in ${shown(resolve(checkpoint))}: raise the limit and run again with --resume to go on`
      : '';
    io.stderr.write(`dspy-ts: ${report.stopDetail ?? 'the budget ran out'}${resume}\n`);
  }
  if (flags.json) {
    writeJson(io, {
      artifact: out,
      report: saved,
      optimizer: report.optimizer,
      baselineScore: report.baselineScore ?? null,
      bestScore: report.bestScore ?? null,
      stoppedBy: report.stoppedBy,
      lmCalls: report.total.lmCalls,
      cacheHits: report.total.cacheHits,
      cost: report.total.cost,
      ...(report.stopDetail ? { stopDetail: report.stopDetail } : {}),
    });
  } else {
    io.stdout.write(formatReport(report));
    io.stdout.write(`\nartifact: ${shown(out)}\n`);
    io.stdout.write(`report:   ${shown(join(dir, prefix))}.{json,txt,svg}\n`);
  }
  return EXIT_OK;
}
