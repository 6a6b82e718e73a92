/**
 * One call answered by the offline default model (`new LM('offline')`), loaded with its first
 * call together with `OfflineLM`. @internal
 */
import type { Limit } from '../runtime/limit.js';
import type { CachedResponse } from './cache/types.js';
import type { EffectiveParams } from './params.js';
import type { LanguageModel, LMRequest } from './types.js';

/** Asks `offline` with the request's effective parameters, within `limit`; the answer as a cache entry. */
export async function offlineAnswer(
  offline: LanguageModel,
  model: string,
  limit: Limit | undefined,
  request: LMRequest,
  params: EffectiveParams,
): Promise<CachedResponse & { attempts: number }> {
  const { temperature, maxTokens, n, stop } = params;
  const ask = () => offline.call({ ...request, temperature, maxTokens, n, stop, extra: params.extra });
  const r = await (limit ? limit(ask) : ask());
  const { text, choices, finishReason, usage, toolCalls, reasoning, reasonings } = r;
  return {
    text,
    choices: [...choices],
    model,
    finishReason,
    usage,
    ...(toolCalls ? { toolCalls } : {}),
    ...(reasoning === undefined ? {} : { reasoning }),
    ...(reasonings ? { reasonings: [...reasonings] } : {}),
    attempts: 1,
  };
}
