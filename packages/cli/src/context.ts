import { resolve } from 'node:path';
import { configure, configureCache } from '@dspy-ts/core';
import { type CliConfig, loadConfig } from './config.js';
import { usageError } from './errors.js';
import { offlineNotice, type ResolvedLM, resolveLM } from './lm.js';

/** Options every command that calls an LM accepts. */
export interface LMFlags {
  readonly lm?: string;
  readonly baseUrl?: string;
  readonly concurrency?: string;
  readonly json?: boolean;
  /** A run that calls no model (`compile --dry-run`): the LM needs no key. */
  readonly dryRun?: boolean;
}

/** Where a command writes: results on stdout, notices and progress on stderr; `run --input -` reads stdin. */
export interface Io {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly stdin?: AsyncIterable<string | Buffer>;
}

/** The process's own streams. */
export const processIo: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

/** Everything a command runs with: the config file, the chosen LM, the concurrency. */
export interface RunContext {
  readonly cwd: string;
  readonly config: CliConfig;
  readonly lm: ResolvedLM;
  readonly concurrency?: number;
}

/** Parses an integer flag of at least `min` (1 unless given), or throws a usage error naming it. */
export function intFlag(value: string | undefined, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw usageError(
      `${flag} must be an integer of at least ${min}, not '${value}'`,
      flag,
      `Pass ${flag} 8, for example.`,
    );
  }
  return n;
}

/**
 * Loads the config, chooses and configures the LM (printing the one offline line when the
 * offline default is used), the cache directory and the concurrency. With `callsHere: false`
 * (an evaluation whose examples all run on workers, each with its own LM) the LM needs no key
 * and the offline line is not printed.
 */
export async function prepare(
  flags: LMFlags,
  io: Io,
  cwd = process.cwd(),
  { callsHere = true }: { readonly callsHere?: boolean } = {},
): Promise<RunContext> {
  const { config } = await loadConfig(cwd);
  if (config.cacheDir !== undefined && process.env.DSPY_TS_CACHE_DIR === undefined) {
    configureCache({ dir: config.cacheDir === '' ? null : resolve(cwd, config.cacheDir) });
  }
  const lm = resolveLM({
    flag: flags.lm,
    baseURL: flags.baseUrl,
    config,
    needsKey: flags.dryRun !== true && callsHere,
  });
  if (lm.offline && callsHere) io.stderr.write(`${offlineNotice(lm)}\n`);
  const concurrency = intFlag(flags.concurrency, '--concurrency') ?? config.concurrency;
  configure(concurrency !== undefined ? { lm: lm.lm, numThreads: concurrency } : { lm: lm.lm });
  return concurrency !== undefined ? { cwd, config, lm, concurrency } : { cwd, config, lm };
}

/** Writes `value` as one JSON document on stdout. */
export function writeJson(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
