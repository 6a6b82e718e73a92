export { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF, parseRetryAfter } from './backoff.js';
export {
  addAmounts,
  type BudgetAmount,
  type BudgetCaps,
  type BudgetLedger,
  type BudgetReservation,
  capPassed,
  DEFAULT_OUTPUT_ESTIMATE,
  estimateCall,
  estimatePromptTokens,
  MemoryBudgetLedger,
  ZERO_AMOUNT,
} from './budget.js';
export {
  type CacheConfig,
  configureCache,
  defaultCacheDir,
  getDefaultCache,
  resetCacheConfig,
} from './cache/config.js';
export { DiskCache, type DiskCacheOptions } from './cache/disk.js';
export { cacheKey } from './cache/key.js';
export { MemoryCache } from './cache/memory.js';
export { RedisCache, type RedisCacheOptions } from './cache/redis.js';
export { TieredCache } from './cache/tiered.js';
export { type Cache, type CachedResponse, copyCached, copyToolCalls } from './cache/types.js';
export { callLM, mergeRequest, streamLM } from './call.js';
export {
  clearHistory,
  getHistory,
  type HistoryEntry,
  type InspectOptions,
  inspectHistory,
  setHistoryLimit,
} from './history.js';
export { createHttpFetch, type HttpFetchOptions } from './http-fetch.js';
export { LM, type LMStats } from './lm.js';
export type { LMOptions } from './options.js';
export { type PredictorSource, preflightProgram } from './preflight.js';
export { costOf, type ModelPrice, priceOf, registerPrices } from './prices.js';
export {
  CUSTOM_PROVIDER,
  listProviders,
  type ProviderInfo,
  type ResolvedModel,
  registerProvider,
  resolveModel,
} from './providers.js';
export { isReasoningModel } from './reasoning.js';
export {
  fromWireToolCalls,
  toolCall,
  type WireToolCall,
} from './tool-calls.js';
export { toWireToolCalls } from './tool-wire.js';
export {
  type ActiveBudget,
  currentBudget,
  currentUsage,
  trackUsage,
  type UsageLimits,
  type UsageSummary,
} from './usage.js';
