import { DspyError, isDspyError, type LanguageModel, LM, listProviders, resolveModel } from '@dspy-ts/core';
import type { CliConfig } from './config.js';

/** Environment variables (`process.env` or a copy), in a type that needs no Node typings. */
type Environment = Readonly<Record<string, string | undefined>>;

/** The offline default model's name: `new LM('offline')` answers with `OfflineLM`, no network. */
const OFFLINE = 'offline';

/** The key sent to a `--base-url` server when no key is set in the environment. */
export const PLACEHOLDER_KEY = 'no-key';

/**
 * With `--base-url`, the key option for `new LM`: a placeholder when the provider's key variable
 * (`OPENAI_API_KEY` for `openai/...`) is unset, since a local or private server often needs none.
 */
function keylessServer(name: string, env: Environment): { apiKey?: string } {
  const keyEnv = resolveModel(name, true).provider.apiKeyEnv;
  return keyEnv && env[keyEnv]?.trim() ? {} : { apiKey: PLACEHOLDER_KEY };
}

/**
 * Refuses, before any call, a provider that needs a key when its key variable is unset: one
 * `LM_CONFIG` error (exit 2) naming the variable, instead of a failure on every example.
 */
function requireKey(name: string, source: LMSource, env: NodeJS.ProcessEnv): void {
  const { provider } = resolveModel(name, false);
  const keyEnv = provider.apiKeyEnv;
  if (!provider.requiresKey || !keyEnv || env[keyEnv]?.trim()) return;
  const flag = source === '--lm' ? '--lm' : source === 'config' ? 'lm in dspy-ts.config' : source;
  throw new DspyError(
    'LM_CONFIG',
    `${flag} ${name}: ${keyEnv} is not set, and ${provider.name} needs an API key`,
    {
      details: {
        where: flag,
        env: keyEnv,
        fix: `Set ${keyEnv} in the environment (export ${keyEnv}=...), add --base-url for a server that needs no key, or use --lm offline.`,
      },
    },
  );
}

/** `new LM`, with an unknown provider reported in the command line's terms (`--base-url`). */
function newLM(name: string, baseURL: string | undefined, env: Environment): LanguageModel {
  try {
    return new LM(name, baseURL ? { baseURL, ...keylessServer(name, env) } : {});
  } catch (err) {
    if (!isDspyError(err) || err.code !== 'LM_CONFIG' || baseURL) throw err;
    const what = err.message.split('\n')[0] ?? err.message;
    const known = listProviders()
      .map((p) => p.name)
      .join(', ');
    throw new DspyError('LM_CONFIG', `--lm ${name}: ${what}`, {
      cause: err,
      details: {
        where: '--lm',
        fix: `Use a provider prefix (${known}), 'offline', or add --base-url http://host:port/v1 for any OpenAI-compatible server.`,
      },
    });
  }
}

/** Where the LM choice came from. */
export type LMSource = '--lm' | 'config' | 'DSPY_TS_LM' | 'default';

/** The LM a command runs on, and how it was chosen. */
export interface ResolvedLM {
  readonly lm: LanguageModel;
  /** `provider/model`, or `offline`. */
  readonly name: string;
  readonly source: LMSource;
  readonly offline: boolean;
  readonly baseURL?: string;
}

/** What the LM is chosen from, highest precedence first: flag, config, environment. */
export interface LMChoice {
  readonly flag?: string;
  readonly baseURL?: string;
  readonly config?: CliConfig;
  readonly env?: Environment;
  /** False for a run that calls no model (`compile --dry-run`): a missing key is then no error. */
  readonly needsKey?: boolean;
}

/**
 * Chooses the LM: `--lm provider/model`, else the config's `lm`, else `DSPY_TS_LM`; `offline`
 * or nothing at all gives the offline default, `new LM('offline')` (answered by `OfflineLM`).
 * `--base-url` (or the config's `baseURL`, or `DSPY_TS_BASE_URL`) points an `LM` at any
 * OpenAI-compatible server.
 */
export function resolveLM(choice: LMChoice): ResolvedLM {
  const env = choice.env ?? process.env;
  const fromEnv = env.DSPY_TS_LM?.trim() ? env.DSPY_TS_LM.trim() : undefined;
  const [name, source]: [string | undefined, LMSource] = choice.flag
    ? [choice.flag, '--lm']
    : choice.config?.lm
      ? [choice.config.lm, 'config']
      : fromEnv
        ? [fromEnv, 'DSPY_TS_LM']
        : [undefined, 'default'];
  if (name === undefined || name === OFFLINE) {
    return { lm: new LM(OFFLINE), name: OFFLINE, source, offline: true };
  }
  const baseURL = choice.baseURL ?? choice.config?.baseURL ?? (env.DSPY_TS_BASE_URL?.trim() || undefined);
  const lm = newLM(name, baseURL, env);
  if (!baseURL && choice.needsKey !== false) requireKey(name, source, env);
  return baseURL ? { lm, name, source, offline: false, baseURL } : { lm, name, source, offline: false };
}

/** The one stderr line printed when the offline default is used. */
export function offlineNotice(resolved: ResolvedLM): string {
  return resolved.source === 'default'
    ? 'dspy-ts: no LM set (--lm, dspy-ts.config lm or DSPY_TS_LM); using the offline default OfflineLM (no network).'
    : `dspy-ts: using the offline default OfflineLM (no network), as ${resolved.source} says 'offline'.`;
}
