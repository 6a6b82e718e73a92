import { relative, resolve as resolvePath } from 'node:path';
import { isDspyError } from '@dspy-ts/core';
import { build } from './build.js';
import { formatDiagnostics } from './diagnostics.js';
import { type ProgressOutput, progressDisplay } from './progress.js';
import type { BuildResult } from './types.js';
import { watch } from './watch.js';

/** Arguments of `dspy-ts build`. */
export interface BuildCommandArgs {
  /** tsconfig path (default `tsconfig.json`). */
  readonly project?: string;
  /** Generated module path (default `DEFAULT_OUT` beside the tsconfig). */
  readonly out?: string;
  /** Keep running and rebuild on every change. */
  readonly watch?: boolean;
  /** Skip the file-hash cache. */
  readonly noCache?: boolean;
  readonly cwd?: string;
  /** Where progress lines go (default `process.stdout`). */
  readonly stdout?: { write(text: string): unknown };
  /** Where diagnostics and progress go (default `process.stderr`). */
  readonly stderr?: ProgressOutput;
  /** Show progress on stderr while a build runs (default: when stderr is a terminal). */
  readonly progress?: boolean;
  /** Ends watch mode (the command then resolves with 0). */
  readonly signal?: AbortSignal;
}

function summary(result: BuildResult, cwd: string, rebuilt: boolean): string {
  const out = relative(cwd, result.outFile) || result.outFile;
  const state = result.fromCache ? 'up to date (cache)' : result.written ? 'written' : 'unchanged';
  const counts = `${result.signatures.length} signature(s), ${result.tools.length} tool(s)`;
  const what = rebuilt ? `rebuilt ${result.extractedFiles.join(', ') || 'after a removal'}: ` : '';
  return `dspy-ts build: ${what}${counts} -> ${out} ${state} in ${Math.round(result.durationMs)} ms\n`;
}

function report(result: BuildResult, args: BuildCommandArgs, cwd: string, rebuilt = false): number {
  const stdout = args.stdout ?? process.stdout;
  const stderr = args.stderr ?? process.stderr;
  if (result.diagnostics.length > 0) {
    stderr.write(`${formatDiagnostics(result.diagnostics)}\n`);
    stderr.write(
      `dspy-ts build: ${result.diagnostics.length} problem(s); the generated module was not updated. Fix them and run the build again.\n`,
    );
    return 1;
  }
  for (const note of result.notes) stdout.write(`note: ${note}\n`);
  stdout.write(summary(result, cwd, rebuilt));
  return 0;
}

/**
 * Runs `dspy-ts build [--project P] [--out F] [--watch]`: prints diagnostics and a summary,
 * and resolves with the exit code (0 ok, 1 diagnostics, 2 bad project). In watch mode it
 * resolves when `signal` aborts.
 *
 * @example
 * ```ts
 * process.exitCode = await runBuildCommand({ project: 'tsconfig.json' });
 * ```
 */
export async function runBuildCommand(args: BuildCommandArgs = {}): Promise<number> {
  const cwd = args.cwd ?? process.cwd();
  const project = args.project ?? 'tsconfig.json';
  const stderr = args.stderr ?? process.stderr;
  const display = (args.progress ?? stderr.isTTY === true) ? progressDisplay(stderr, cwd) : undefined;
  try {
    if (!args.watch) {
      const result = await build({
        project,
        out: args.out,
        cwd,
        cache: !args.noCache,
        onProgress: display?.onProgress,
      });
      display?.end();
      return report(result, args, cwd);
    }
    let first = true;
    const handle = watch({
      project,
      out: args.out,
      cwd,
      onProgress: display?.onProgress,
      onBuild: (result) => {
        display?.end();
        report(result, args, cwd, !first);
        first = false;
      },
      onError: (err) => stderr.write(`dspy-ts build: ${err instanceof Error ? err.message : String(err)}\n`),
    });
    const initial = await handle.ready;
    (args.stdout ?? process.stdout).write(
      `dspy-ts build: watching ${initial.extractedFiles.length} file(s) of ${relative(cwd, resolvePath(cwd, project)) || project} for changes; press Ctrl-C to stop\n`,
    );
    await new Promise<void>((resolve) => {
      if (args.signal?.aborted) resolve();
      args.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    await handle.close();
    return 0;
  } catch (err) {
    display?.end();
    stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return isDspyError(err, 'BUILD_CONFIG') ? 2 : 1;
  }
}
