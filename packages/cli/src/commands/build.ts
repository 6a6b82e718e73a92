import { loadConfig } from '../config.js';
import { type Io, writeJson } from '../context.js';
import { EXIT_FAILED, EXIT_OK, usageError } from '../errors.js';

/** Flags of `dspy-ts build`. */
export interface BuildFlags {
  readonly project?: string;
  readonly out?: string;
  readonly watch?: boolean;
  readonly cache?: boolean;
  readonly json?: boolean;
  /** Show build progress on stderr (default: when stderr is a terminal). */
  readonly progress?: boolean;
}

/** `dspy-ts build --json`: one build, its result as one JSON document on stdout (exit 1 on diagnostics). */
async function buildJson(flags: BuildFlags, project: string, io: Io): Promise<number> {
  const { build } = await import('@dspy-ts/codegen');
  const result = await build({ project, out: flags.out, cwd: process.cwd(), cache: flags.cache !== false });
  writeJson(io, {
    outFile: result.outFile,
    signatures: result.signatures.map((s) => ({
      name: s.name,
      kind: s.kind,
      hash: s.hash,
      location: s.location,
    })),
    tools: result.tools.map((t) => ({ name: t.name, toolName: t.toolName, location: t.location })),
    diagnostics: result.diagnostics,
    notes: result.notes,
  });
  return result.diagnostics.length > 0 ? EXIT_FAILED : EXIT_OK;
}

/** `dspy-ts build`: runs the build step (`@dspy-ts/codegen`) and resolves with its exit code. */
export async function buildCommand(flags: BuildFlags, io: Io, signal?: AbortSignal): Promise<number> {
  const { config } = await loadConfig(process.cwd());
  const project = flags.project ?? config.project ?? 'tsconfig.json';
  if (flags.json) {
    if (flags.watch)
      throw usageError('--json and --watch do not go together', 'dspy-ts build', 'Drop one of them.');
    return buildJson(flags, project, io);
  }
  // Loaded on demand: the build step brings the TypeScript compiler, which no other command needs.
  const { runBuildCommand } = await import('@dspy-ts/codegen');
  // Watch mode ends cleanly (watchers closed, exit code 0) on Ctrl-C unless the caller passes a signal.
  const stop = flags.watch && !signal ? new AbortController() : undefined;
  const onSigint = () => stop?.abort();
  if (stop) process.once('SIGINT', onSigint);
  const code = await runBuildCommand({
    project,
    out: flags.out,
    watch: flags.watch,
    noCache: flags.cache === false,
    progress: flags.progress,
    stdout: io.stdout,
    stderr: io.stderr,
    signal: signal ?? stop?.signal,
  });
  if (stop) process.off('SIGINT', onSigint);
  return code;
}
