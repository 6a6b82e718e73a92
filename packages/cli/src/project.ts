import { dirname, resolve } from 'node:path';
import { DEFAULT_OUT } from '@dspy-ts/codegen';
import type { CliConfig } from './config.js';
import { importGenerated } from './program.js';

/** The tsconfig path: `--project`, else the config's `project`, else `tsconfig.json`. */
export function projectPath(flag: string | undefined, config: CliConfig, cwd = process.cwd()): string {
  return resolve(cwd, flag ?? config.project ?? 'tsconfig.json');
}

/**
 * Imports the project's generated module (`src/dspy.generated.ts` beside the tsconfig, or
 * `--generated`) so signatures have their JSON Schemas even when the program does not import it.
 */
export async function loadGeneratedFor(
  flags: { project?: string; generated?: string },
  config: CliConfig,
  cwd = process.cwd(),
): Promise<boolean> {
  const file = flags.generated
    ? resolve(cwd, flags.generated)
    : resolve(dirname(projectPath(flags.project, config, cwd)), DEFAULT_OUT);
  return importGenerated(file);
}
