import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { DspyError } from '@dspy-ts/core';
import type { CliConfig } from './config.js';
import type { Io } from './context.js';
import { importGenerated } from './program.js';

/**
 * Where `dspy-ts build` writes the generated module beside the tsconfig (`DEFAULT_OUT` of
 * `@dspy-ts/codegen`, repeated here so that commands other than `build` do not load the
 * TypeScript compiler).
 */
export const GENERATED_MODULE = 'src/dspy.generated.ts';

/** Flags that locate a project and its generated module. */
export interface ProjectFlags {
  readonly project?: string;
  readonly generated?: string;
}

/** The tsconfig path: `--project`, else the config's `project`, else `tsconfig.json`. */
export function projectPath(flag: string | undefined, config: CliConfig, cwd = process.cwd()): string {
  return resolve(cwd, flag ?? config.project ?? 'tsconfig.json');
}

/** The generated module's path: `--generated`, else `src/dspy.generated.ts` beside the tsconfig. */
export function generatedPath(flags: ProjectFlags, config: CliConfig, cwd = process.cwd()): string {
  return flags.generated
    ? resolve(cwd, flags.generated)
    : resolve(dirname(projectPath(flags.project, config, cwd)), GENERATED_MODULE);
}

/**
 * Runs the build step when the project's generated module is missing or older than a source it
 * was built from, saying so in one line on stderr. Does nothing without a tsconfig. Build
 * diagnostics stop the command (`BUILD_DIAGNOSTICS`, exit 1) with every located problem.
 */
export async function buildIfStale(
  flags: ProjectFlags,
  config: CliConfig,
  io: Io,
  cwd = process.cwd(),
): Promise<void> {
  const tsconfig = projectPath(flags.project, config, cwd);
  if (!existsSync(tsconfig)) return;
  const out = generatedPath(flags, config, cwd);
  // Loaded on demand: checkStale needs no TypeScript; build starts it only when it must extract.
  const { build, checkStale, formatDiagnostics } = await import('@dspy-ts/codegen');
  const report = await checkStale({ project: tsconfig, out, cwd });
  if (!report.stale) return;
  const shown = relative(cwd, out) || out;
  const why = report.missing ? 'missing' : `stale (${report.changedFiles.join(', ')} changed)`;
  io.stderr.write(`dspy-ts: the generated module ${shown} is ${why}; running dspy-ts build first.\n`);
  const result = await build({ project: tsconfig, out, cwd });
  if (result.diagnostics.length > 0) {
    throw new DspyError(
      'BUILD_DIAGNOSTICS',
      `dspy-ts build found ${result.diagnostics.length} problem(s):\n${formatDiagnostics(result.diagnostics)}`,
      {
        details: {
          where: relative(cwd, tsconfig) || tsconfig,
          diagnostics: result.diagnostics,
          fix: 'Fix the types named above (or run dspy-ts build to see them), then run the command again.',
        },
      },
    );
  }
}

/**
 * Brings the project's generated module up to date ({@link buildIfStale}) and imports it, so
 * signatures have their JSON Schemas even when the program does not import it.
 */
export async function loadGeneratedFor(
  flags: ProjectFlags,
  config: CliConfig,
  io: Io,
  cwd = process.cwd(),
): Promise<boolean> {
  await buildIfStale(flags, config, io, cwd);
  return importGenerated(generatedPath(flags, config, cwd));
}
