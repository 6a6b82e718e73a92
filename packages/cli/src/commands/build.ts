import { loadConfig } from '../config.js';
import type { Io } from '../context.js';

/** Flags of `dspy-ts build`. */
export interface BuildFlags {
  readonly project?: string;
  readonly out?: string;
  readonly watch?: boolean;
  readonly cache?: boolean;
}

/** `dspy-ts build`: runs the build step (`@dspy-ts/codegen`) and resolves with its exit code. */
export async function buildCommand(flags: BuildFlags, io: Io, signal?: AbortSignal): Promise<number> {
  const { config } = await loadConfig(process.cwd());
  // Loaded on demand: the build step brings the TypeScript compiler, which no other command needs.
  const { runBuildCommand } = await import('@dspy-ts/codegen');
  // Watch mode ends cleanly (watchers closed, exit code 0) on Ctrl-C unless the caller passes a signal.
  const stop = flags.watch && !signal ? new AbortController() : undefined;
  const onSigint = () => stop?.abort();
  if (stop) process.once('SIGINT', onSigint);
  const code = await runBuildCommand({
    project: flags.project ?? config.project ?? 'tsconfig.json',
    out: flags.out,
    watch: flags.watch,
    noCache: flags.cache === false,
    stdout: io.stdout,
    stderr: io.stderr,
    signal: signal ?? stop?.signal,
  });
  if (stop) process.off('SIGINT', onSigint);
  return code;
}
