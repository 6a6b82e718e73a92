import { dirname, resolve } from 'node:path';
import type { CliConfig } from './config.js';
import { importGenerated } from './program.js';

/**
 * Where `dspy-ts build` writes the generated module beside the tsconfig (`DEFAULT_OUT` of
 * `@dspy-ts/codegen`, repeated here so that commands other than `build` do not load the
 * TypeScript compiler).
 */
export const GENERATED_MODULE = 'src/dspy.generated.ts';

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
    : resolve(dirname(projectPath(flags.project, config, cwd)), GENERATED_MODULE);
  return importGenerated(file);
}
