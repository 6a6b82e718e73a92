import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DspyError } from '@dspy-ts/core';
import { usageError } from './errors.js';
import { importModule } from './program.js';

/** Defaults a `dspy-ts.config.ts` (or `.mts`, `.js`, `.mjs`, `.json`) in the working directory may hold. */
export interface CliConfig {
  /** The LM as `provider/model`, or `offline`. */
  readonly lm?: string;
  /** Base URL of an OpenAI-compatible server for `lm`. */
  readonly baseURL?: string;
  /** Disk cache directory of LM calls (`''` turns the disk cache off). */
  readonly cacheDir?: string;
  /** Concurrent LM calls during evaluation and compilation. */
  readonly concurrency?: number;
  /** tsconfig of the project (default `tsconfig.json`). */
  readonly project?: string;
  /** The program `run` and `eval` load an artifact into, as `module#Export` (relative to the working directory). */
  readonly program?: string;
}

/** File names looked for, in order. */
export const CONFIG_FILES = [
  'dspy-ts.config.ts',
  'dspy-ts.config.mts',
  'dspy-ts.config.js',
  'dspy-ts.config.mjs',
  'dspy-ts.config.json',
] as const;

const KEYS: Record<keyof CliConfig, 'string' | 'number'> = {
  lm: 'string',
  baseURL: 'string',
  cacheDir: 'string',
  concurrency: 'number',
  project: 'string',
  program: 'string',
};

/** Checks a loaded config object: known keys with the right types, or a usage error naming the file. */
export function checkConfig(value: unknown, file: string): CliConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw usageError(
      `${file} must export an object of defaults`,
      file,
      'Export an object, e.g. `export default { lm: "openai/gpt-4o-mini" }`.',
    );
  }
  for (const [key, v] of Object.entries(value)) {
    const want = KEYS[key as keyof CliConfig];
    if (!want) {
      throw usageError(`${file}: unknown key '${key}'`, file, `Use only ${Object.keys(KEYS).join(', ')}.`);
    }
    if (typeof v !== want) {
      throw usageError(`${file}: '${key}' must be a ${want}`, file, `Set ${key} to a ${want}.`);
    }
  }
  return value as CliConfig;
}

/** Loads the first config file found in `cwd` (its default export, or the whole JSON), or `{}`. */
export async function loadConfig(cwd: string): Promise<{ config: CliConfig; file?: string }> {
  for (const name of CONFIG_FILES) {
    const file = join(cwd, name);
    if (!existsSync(file)) continue;
    let value: unknown;
    try {
      if (name.endsWith('.json')) {
        value = JSON.parse(await readFile(file, 'utf8'));
      } else {
        const mod = (await importModule(file)) as { default?: unknown };
        value = mod.default ?? mod;
      }
    } catch (err) {
      throw new DspyError(
        'CLI_USAGE',
        `cannot read ${name}: ${err instanceof Error ? err.message : String(err)}`,
        {
          cause: err,
          details: { where: file, fix: `Fix ${name} or remove it.` },
        },
      );
    }
    return { config: checkConfig(value, name), file };
  }
  return { config: {} };
}
