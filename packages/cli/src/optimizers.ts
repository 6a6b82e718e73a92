import type { Metric } from '@dspy-ts/core';
import {
  BootstrapFewShot,
  type BootstrapFewShot as BootstrapFewShotType,
  BootstrapRS,
  COPRO,
  type CompilableProgram,
  type CompileOptions,
  type CompileResult,
  GEPA,
  LabeledFewShot,
  MIPROv2,
  type OptimizerOptions,
  SIMBA,
} from '@dspy-ts/optimize';
import { intFlag } from './context.js';
import { usageError } from './errors.js';

/** What the CLI needs of an optimizer. */
export interface CliOptimizer {
  readonly name: string;
  compile<P extends CompilableProgram>(program: P, opts: CompileOptions): Promise<CompileResult<P>>;
  estimate: BootstrapFewShotType['estimate'];
}

type Factory = (options: OptimizerOptions & Record<string, unknown>) => CliOptimizer;

/**
 * The optimizers `dspy-ts compile --optimizer <name>` knows (names as exported by
 * `@dspy-ts/optimize`). `KNNFewShot` is left out: its program needs the train set at run time,
 * which an artifact does not hold.
 */
export const OPTIMIZERS: Readonly<Record<string, Factory>> = {
  LabeledFewShot: (o) => new LabeledFewShot(o),
  BootstrapFewShot: (o) => new BootstrapFewShot(o),
  BootstrapRS: (o) => new BootstrapRS(o),
  BootstrapFewShotWithRandomSearch: (o) => new BootstrapRS(o),
  COPRO: (o) => new COPRO(o),
  MIPROv2: (o) => new MIPROv2({ auto: 'light', ...o }),
  SIMBA: (o) => new SIMBA(o),
  // GEPA needs exactly one budget: 'light' unless --options gives maxFullEvals or maxMetricCalls.
  GEPA: (o) =>
    new GEPA(
      o.auto !== undefined || o.maxFullEvals !== undefined || o.maxMetricCalls !== undefined
        ? o
        : { ...o, auto: 'light' },
    ),
};

/** Creates the optimizer named `name` (case-insensitive) or throws a usage error listing the known names. */
export function createOptimizer(
  name: string,
  metric: Metric,
  common: OptimizerOptions,
  extra: Record<string, unknown>,
): CliOptimizer {
  const key = Object.keys(OPTIMIZERS).find((k) => k.toLowerCase() === name.toLowerCase());
  const factory = key ? OPTIMIZERS[key] : undefined;
  if (!factory) {
    throw usageError(
      `unknown optimizer '${name}'`,
      '--optimizer',
      `Use one of ${Object.keys(OPTIMIZERS).join(', ')}.`,
    );
  }
  return factory({ ...extra, ...common, metric });
}

/** Parses `--budget calls=500,tokens=200000,cost=1.5` into optimizer budget options. */
export function parseBudget(
  text: string | undefined,
): Pick<OptimizerOptions, 'maxLMCalls' | 'maxTokens' | 'maxCost'> {
  if (text === undefined) return {};
  const out: { maxLMCalls?: number; maxTokens?: number; maxCost?: number } = {};
  for (const part of text.split(',').filter((p) => p.trim() !== '')) {
    const [rawKey, rawValue] = part.split('=', 2).map((s) => s.trim());
    const value = Number(rawValue);
    if (!rawKey || rawValue === undefined || rawValue === '' || !Number.isFinite(value) || value <= 0) {
      throw usageError(
        `bad --budget entry '${part}'`,
        '--budget',
        'Write key=value pairs with positive numbers: --budget calls=500,tokens=200000,cost=1.5',
      );
    }
    if (rawKey === 'calls') out.maxLMCalls = value;
    else if (rawKey === 'tokens') out.maxTokens = value;
    else if (rawKey === 'cost') out.maxCost = value;
    else {
      throw usageError(`unknown --budget key '${rawKey}'`, '--budget', 'Use calls, tokens and/or cost.');
    }
  }
  return out;
}

/** Parses `--max-cost 2.50` (US dollars, > 0). */
export function costFlag(text: string | undefined, flag = '--max-cost'): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.trim().replace(/^\$/, ''));
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw usageError(
      `${flag} must be a positive amount of US dollars, not '${text}'`,
      flag,
      `Pass ${flag} 2.50, for example.`,
    );
  }
  return value;
}

/**
 * The budget of a run from `--budget` and the `--max-cost` / `--max-tokens` flags (which say
 * the same as `--budget cost=` / `tokens=`; giving both with different values is refused).
 */
export function budgetFlags(flags: {
  readonly budget?: string;
  readonly maxCost?: string;
  readonly maxTokens?: string;
}): Pick<OptimizerOptions, 'maxLMCalls' | 'maxTokens' | 'maxCost'> {
  const out: { maxLMCalls?: number; maxTokens?: number; maxCost?: number } = { ...parseBudget(flags.budget) };
  const cost = costFlag(flags.maxCost);
  const tokens = intFlag(flags.maxTokens, '--max-tokens');
  for (const [key, value, flag] of [
    ['maxCost', cost, '--max-cost'],
    ['maxTokens', tokens, '--max-tokens'],
  ] as const) {
    if (value === undefined) continue;
    if (out[key] !== undefined && out[key] !== value) {
      throw usageError(
        `${flag} ${value} and --budget ${key === 'maxCost' ? 'cost' : 'tokens'}=${out[key]} disagree`,
        flag,
        `Give the limit once, with ${flag}.`,
      );
    }
    out[key] = value;
  }
  return out;
}

/** Parses `--options '{"numCandidatePrograms": 8}'` (optimizer-specific options as a JSON object). */
export function parseOptionsJson(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw usageError(`--options is not valid JSON: ${text}`, '--options', `Quote it: --options '{"k": 8}'.`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw usageError('--options must be a JSON object', '--options', `Write --options '{"k": 8}'.`);
  }
  return value as Record<string, unknown>;
}
