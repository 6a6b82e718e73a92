import { DspyError } from '../errors.js';
import type { ProviderInfo, ResolvedModel } from './providers.js';
import type { LanguageModel } from './types.js';

/** The name of the offline default model, as in `new LM('offline')` and the CLI's `--lm offline`. */
export const OFFLINE_MODEL = 'offline';

/** Answered in process by `OfflineLM`: no endpoint, no key. */
const OFFLINE_PROVIDER: ProviderInfo = Object.freeze({
  name: OFFLINE_MODEL,
  baseURL: '',
  requiresKey: false,
  supportsStructuredOutputs: true,
  // OfflineLM reads offered tools and answers with tool calls (see docs/lm.md, "OfflineLM").
  supportsToolCalls: true,
});

/**
 * The resolved model of `new LM(name, { baseURL })` when `name` is the offline default, else
 * `undefined`. A `baseURL` with it is an `LM_CONFIG` error: the offline model has no endpoint.
 */
export function offlineModel(name: string, baseURL: string | undefined): ResolvedModel | undefined {
  if (name !== OFFLINE_MODEL) return undefined;
  if (baseURL) {
    throw new DspyError('LM_CONFIG', `new LM('${OFFLINE_MODEL}'): the offline model takes no baseURL`, {
      details: {
        where: `new LM('${OFFLINE_MODEL}')`,
        fix: `Leave out baseURL to answer offline, or name a served model ('openai/${OFFLINE_MODEL}' with { baseURL } calls a model named ${OFFLINE_MODEL} on that server).`,
      },
    });
  }
  return { provider: OFFLINE_PROVIDER, apiModel: OFFLINE_MODEL, fullName: OFFLINE_MODEL };
}

/** True for the provider of the offline default model. */
export function isOfflineProvider(info: ProviderInfo): boolean {
  return info === OFFLINE_PROVIDER;
}

/**
 * Loads `OfflineLM` from its own module on first use, so that importing `@dspy-ts/core` (and a
 * bundle of an app that never asks for `'offline'`) does not carry it.
 */
export async function loadOfflineLM(supportsStructuredOutputs: boolean): Promise<LanguageModel> {
  const { OfflineLM } = await import('../offline/index.js');
  return new OfflineLM({ model: OFFLINE_MODEL, supportsStructuredOutputs });
}
