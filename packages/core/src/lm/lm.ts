import type OpenAI from 'openai';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { DspyError } from '../errors.js';
import { concurrencyLimit, type Limit } from '../runtime/limit.js';
import { logger } from '../settings.js';
import { getDefaultCache } from './cache/config.js';
import { cacheKey } from './cache/key.js';
import type { Cache, CachedResponse } from './cache/types.js';
import { copyToolCalls } from './cache/types.js';
import { ProviderEndpoint } from './endpoint.js';
import { isOfflineProvider, loadOfflineLM, offlineModel } from './offline-model.js';
import { checkLMOptions, type LMOptions, safeSettings } from './options.js';
import { type EffectiveParams, toWireParams } from './params.js';
import { costOf } from './prices.js';
import { type ProviderInfo, resolveModel } from './providers.js';
import { isReasoningModel } from './reasoning.js';
import { fromWireToolCalls } from './tool-calls.js';
import { toWireMessage } from './tool-wire.js';
import { type AttemptContext, attemptOptions } from './transport.js';
import {
  type FinishReason,
  type LanguageModel,
  type LMRequest,
  type LMResponse,
  type LMStreamChunk,
  reasoningFields,
  type Usage,
} from './types.js';
import { UsageCounter, type UsageSummary } from './usage.js';

type Signals = typeof import('./call-signal.js');
let signals: Signals | undefined;

/** What links a call to its caller's `AbortSignal`, loaded with the first call that has one. */
async function loadSignals(): Promise<Signals> {
  signals ??= await import('./call-signal.js');
  return signals;
}

type ToolRequests = typeof import('./tool-request.js');
let toolRequests: ToolRequests | undefined;

/** Makes the check of a request's tools available at once (the server entry does). @internal */
export function registerToolRequests(module: ToolRequests): void {
  toolRequests = module;
}

/** True when a request's tools need checking: it has tools, or a tool choice beyond `auto` and `none`. */
function asksTools(request: LMRequest): boolean {
  const choice = request.toolChoice;
  return (request.tools?.length ?? 0) > 0 || (choice !== undefined && choice !== 'auto' && choice !== 'none');
}

/** Loads the check of a request's tools (see `needsToolRequests`). */
async function loadToolRequests(): Promise<void> {
  toolRequests ??= await import('./tool-request.js');
}

/** True when `request` needs the tools check and it is not loaded yet (a call without tools never waits). */
function needsToolRequests(request: LMRequest): boolean {
  return !toolRequests && asksTools(request);
}

type Failures = typeof import('./lm-failures.js');

/** The errors of a response that is no answer, loaded with the first such response. */
async function loadFailures(): Promise<Failures> {
  return import('./lm-failures.js');
}

/** Counters of the HTTP work an `LM` did. */
export interface LMStats {
  /** HTTP requests sent (attempts, retries included). */
  readonly requests: number;
  /** Attempts beyond the first of each call. */
  readonly retries: number;
  /** Calls that ended in an error. */
  readonly failures: number;
  /** Calls answered by joining an identical request in flight. */
  readonly shared: number;
}

export function mapFinish(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
    case 'length':
    case 'content_filter':
    case 'tool_calls':
      return reason;
    case 'function_call':
      return 'tool_calls';
    default:
      return 'unknown';
  }
}

/** The usage block of a chat completion, as providers send it. */
export interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

export function toUsage(u: WireUsage | undefined | null): Usage {
  const promptTokens = u?.prompt_tokens ?? 0;
  const completionTokens = u?.completion_tokens ?? 0;
  const usage = {
    promptTokens,
    completionTokens,
    totalTokens: u?.total_tokens ?? promptTokens + completionTokens,
  };
  const reasoningTokens = u?.completion_tokens_details?.reasoning_tokens;
  return typeof reasoningTokens === 'number' ? { ...usage, reasoningTokens } : usage;
}

/**
 * A message's (or stream delta's) own reasoning: `reasoning_content` (DeepSeek, vLLM, the
 * OpenAI-compatible servers of reasoning models), else `reasoning` (OpenRouter, Ollama, Groq).
 */
export function wireReasoning(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as { reasoning_content?: unknown; reasoning?: unknown };
  if (typeof m.reasoning_content === 'string') return m.reasoning_content;
  return typeof m.reasoning === 'string' ? m.reasoning : undefined;
}

/** The reasoning fields of an entry, copied (arrays are new). */
function copyReasoning(entry: CachedResponse): Pick<LMResponse, 'reasoning' | 'reasonings'> {
  return {
    ...(entry.reasoning === undefined ? {} : { reasoning: entry.reasoning }),
    ...(entry.reasonings ? { reasonings: [...entry.reasonings] } : {}),
  };
}

/**
 * A language model over the `openai` package's chat completions: any provider of the table
 * (`openai`, `azure`, `ollama`, `vllm`, `llamacpp`, `lmstudio`, `openrouter`, `together`, `groq`,
 * `deepseek`, `fireworks`, `gemini`, `anthropic`) or any OpenAI-compatible `baseURL`. Caches,
 * shares identical requests in flight, bounds concurrency and retries with backoff.
 * `new LM('offline')` is the offline default model: answered in process by `OfflineLM` (loaded
 * on first call from `@dspy-ts/core/offline`), with no network, key or cache.
 *
 * @example
 * ```ts
 * const lm = new LM('openai/gpt-4o-mini', { temperature: 0, maxTokens: 1000 });
 * configure({ lm });
 * const local = new LM('ollama/llama3.2');
 * const custom = new LM('my-model', { baseURL: 'http://127.0.0.1:8000/v1', apiKey: 'x' });
 * const offline = new LM('offline'); // no network, no key
 * ```
 */
export class LM implements LanguageModel {
  /** `provider/model`. */
  readonly model: string;
  readonly provider: string;
  /** The model name sent to the endpoint. */
  readonly apiModel: string;
  readonly supportsStructuredOutputs: boolean;
  /** True when requests may carry `tools` (the provider table's answer, or `{ supportsToolCalls }`). */
  readonly supportsToolCalls: boolean;
  /** True for o-series and gpt-5 models (`max_completion_tokens`, default temperature only). */
  readonly reasoning: boolean;
  readonly #options: LMOptions;
  readonly #info: ProviderInfo;
  readonly #extra: Readonly<Record<string, unknown>> | undefined;
  readonly #endpoint: ProviderEndpoint;
  readonly #limit: Limit | undefined;
  readonly #inflight = new Map<string, Promise<CachedResponse & { attempts: number }>>();
  readonly #usage = new UsageCounter();
  #offline: Promise<LanguageModel> | undefined;
  #stats = { requests: 0, retries: 0, failures: 0, shared: 0 };
  #warnedTemperature = false;

  constructor(model: string, options: LMOptions = {}) {
    const resolved = offlineModel(model, options.baseURL) ?? resolveModel(model, !!options.baseURL);
    this.model = resolved.fullName;
    this.provider = resolved.provider.name;
    this.apiModel = resolved.apiModel;
    this.#info = resolved.provider;
    checkLMOptions(model, options);
    this.#options = { ...options };
    this.reasoning = isReasoningModel(this.apiModel);
    this.supportsStructuredOutputs =
      options.supportsStructuredOutputs ?? resolved.provider.supportsStructuredOutputs;
    this.supportsToolCalls = options.supportsToolCalls ?? resolved.provider.supportsToolCalls ?? true;
    const extra = options.extra;
    this.#extra = extra && Object.keys(extra).length > 0 ? Object.freeze({ ...extra }) : undefined;
    this.#endpoint = new ProviderEndpoint('LM', this.model, this.#info, this.#options);
    const mc = options.maxConcurrency;
    if (mc !== undefined && (!Number.isInteger(mc) || mc < 1)) {
      throw new DspyError(
        'LM_CONFIG',
        `new LM('${model}'): maxConcurrency must be a positive integer, got ${mc}`,
        {
          details: {
            where: `new LM('${model}')`,
            fix: 'Pass maxConcurrency >= 1, or leave it out for no bound.',
          },
        },
      );
    }
    this.#limit = mc === undefined ? undefined : concurrencyLimit(mc);
    if (this.reasoning && options.temperature !== undefined && options.temperature !== 1)
      this.warnTemperature();
  }

  /** Token and cost totals of every call this LM answered (cache hits count zero). */
  get usage(): UsageSummary {
    return this.#usage.snapshot();
  }

  /** HTTP request, retry, failure and sharing counters. */
  get stats(): LMStats {
    return { ...this.#stats };
  }

  /**
   * Settings safe to store in an artifact: never the API key nor anything named or shaped like a
   * credential, at any depth; `baseURL` only when given and credential-free.
   */
  settings(): Readonly<Record<string, unknown>> {
    return safeSettings(this.model, this.#options, this.secrets());
  }

  /** A new LM with the same model and these options changed (fresh usage totals). */
  copy(overrides: LMOptions = {}): LM {
    return new LM(this.model, { ...this.#options, ...overrides });
  }

  /**
   * The effective parameters of a request: its own, else this LM's defaults. Tools are copied as
   * plain definitions (name, description, parameters) and checked: `LM_CONFIG` when this LM's
   * provider has no function calling, or the tool choice does not fit the tools.
   */
  effectiveParams(request: LMRequest): EffectiveParams {
    const o = this.#options;
    const extra = request.extra ? { ...this.#extra, ...request.extra } : this.#extra;
    const tools = asksTools(request)
      ? this.toolRequests().requestTools(request, {
          model: this.model,
          provider: this.provider,
          supported: this.supportsToolCalls,
        })
      : undefined;
    return {
      temperature: request.temperature ?? o.temperature,
      maxTokens: request.maxTokens ?? o.maxTokens,
      n: request.n ?? o.n,
      stop: request.stop ?? o.stop,
      responseFormat: request.responseFormat,
      ...(tools ? { tools, toolChoice: request.toolChoice } : {}),
      extra,
    };
  }

  /** The check of a request's tools; on the web entry, loaded by the first call with tools. */
  private toolRequests(): ToolRequests {
    if (toolRequests) return toolRequests;
    throw new DspyError(
      'NOT_LOADED',
      `LM ${this.model}: effectiveParams of a request with tools needs the tools check, not loaded yet`,
      {
        details: {
          where: `LM('${this.model}').effectiveParams`,
          fix: 'Call lm.call or lm.cached with the request first (they load it), or import @dspy-ts/core through its server entry (conditions node, bun, deno).',
        },
      },
    );
  }

  /** True when the cache holds the answer to `request`, or an identical call is under way (it will be shared). */
  async cached(request: LMRequest): Promise<boolean> {
    const cache = request.cache === false ? undefined : this.cache();
    if (!cache) return false;
    if (needsToolRequests(request)) await loadToolRequests();
    const params = this.effectiveParams(request);
    const key = cacheKey(this.model, request.messages, params, request.rolloutId);
    if (this.#options.singleFlight !== false && this.#inflight.has(key)) return true;
    return (cache.peek?.(key) ?? (await cache.get(key))) !== undefined;
  }

  /** Sends one request (cache → single-flight → concurrency limit → SDK with retries). */
  async call(request: LMRequest): Promise<LMResponse> {
    if (needsToolRequests(request)) await loadToolRequests();
    const params = this.effectiveParams(request);
    const cache = request.cache === false ? undefined : this.cache();
    const share = cache !== undefined && this.#options.singleFlight !== false;
    const key = cache ? cacheKey(this.model, request.messages, params, request.rolloutId) : '';
    if (cache) {
      const hit = cache.peek?.(key) ?? (await cache.get(key));
      if (hit) return this.hit(hit);
    }
    const pending = share ? this.#inflight.get(key) : undefined;
    if (pending) {
      const shared = await pending;
      this.#stats.shared += 1;
      return this.hit(shared);
    }
    if (!cache) {
      // Nothing shares this entry: it becomes the response as it is.
      const entry = await this.fetchEntry(request, params);
      return this.fresh(entry);
    }
    // Stored before the in-flight entry goes away, so an identical call always finds one of them.
    const work = this.fetchEntry(request, params).then(async (entry) => {
      await this.store(cache, key, entry);
      return entry;
    });
    if (share) {
      this.#inflight.set(key, work);
      const done = () => this.#inflight.delete(key);
      work.then(done, done);
    }
    const entry = await work;
    return this.fresh({
      ...entry,
      choices: [...entry.choices],
      usage: { ...entry.usage },
      ...(entry.toolCalls ? { toolCalls: copyToolCalls(entry.toolCalls) } : {}),
      ...copyReasoning(entry),
    });
  }

  /** The response of a call that reached the model (its entry already copied if shared). */
  private fresh(entry: CachedResponse & { attempts: number }): LMResponse {
    const response: LMResponse = {
      text: entry.text,
      choices: entry.choices,
      usage: entry.usage,
      model: entry.model,
      finishReason: entry.finishReason,
      ...(entry.toolCalls ? { toolCalls: entry.toolCalls } : {}),
      ...(entry.reasoning === undefined ? {} : { reasoning: entry.reasoning }),
      ...(entry.reasonings ? { reasonings: entry.reasonings } : {}),
      cacheHit: false,
      cost: costOf(this.model, entry.usage),
      attempts: entry.attempts,
    };
    this.#usage.add(response);
    return response;
  }

  /** Streams the first completion's text; the last chunk carries the whole response. */
  async *stream(request: LMRequest): AsyncIterable<LMStreamChunk> {
    if (isOfflineProvider(this.#info)) {
      // Answered whole in process: the text comes as one delta, as for a cache hit.
      const response = await this.call(request);
      yield { delta: response.text };
      yield { delta: '', response };
      return;
    }
    if (needsToolRequests(request)) await loadToolRequests();
    const params = this.effectiveParams(request);
    const cache = request.cache === false ? undefined : this.cache();
    const key = cache ? cacheKey(this.model, request.messages, params, request.rolloutId) : '';
    const hit = cache ? await cache.get(key) : undefined;
    if (hit) {
      const response = this.hit(hit);
      if (response.reasoning) yield { delta: '', reasoning: response.reasoning };
      yield { delta: response.text };
      yield { delta: '', response };
      return;
    }
    // The streaming protocol loads with the first stream: an app that only calls never loads it.
    const { streamEntry } = await import('./lm-stream.js');
    const ctx: AttemptContext = { attempts: 0, signal: request.signal };
    const entry = yield* streamEntry(
      {
        model: this.model,
        limit: this.#limit,
        client: () => this.#endpoint.client(),
        body: () => this.wireBody(request, params),
        failed: (err) => {
          this.#stats.failures += 1;
          return this.failed(err, ctx);
        },
        settle: () => this.countAttempts(ctx),
      },
      request,
      ctx,
    );
    await this.checkEmpty(entry, ctx);
    if (cache) await this.store(cache, key, entry);
    const response: LMResponse = {
      ...entry,
      cacheHit: false,
      cost: costOf(this.model, entry.usage),
      attempts: ctx.attempts,
    };
    this.#usage.add(response);
    yield { delta: '', response };
  }

  private cache(): Cache | undefined {
    const c = this.#options.cache;
    if (c === false || (c === undefined && isOfflineProvider(this.#info))) return undefined;
    if (c === undefined || c === true) return getDefaultCache();
    return c;
  }

  /** Stores an answer; a cache that fails is logged, never allowed to fail the call. */
  private async store(cache: Cache, key: string, entry: CachedResponse): Promise<void> {
    try {
      await cache.set(key, entry);
    } catch (err) {
      logger().warn(
        `LM ${this.model}: cache ${cache.name} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  private hit(entry: CachedResponse): LMResponse {
    const response: LMResponse = {
      text: entry.text,
      choices: [...entry.choices],
      usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      model: entry.model,
      finishReason: entry.finishReason,
      ...(entry.toolCalls ? { toolCalls: copyToolCalls(entry.toolCalls) } : {}),
      ...copyReasoning(entry),
      cacheHit: true,
      cost: 0,
      attempts: 0,
    };
    this.#usage.add(response);
    return response;
  }

  private wireBody(request: LMRequest, params: EffectiveParams): Record<string, unknown> {
    if (this.reasoning && params.temperature !== undefined && params.temperature !== 1)
      this.warnTemperature();
    const body = toWireParams(params, {
      apiModel: this.apiModel,
      reasoning: this.reasoning,
      supportsStructuredOutputs: this.supportsStructuredOutputs,
    });
    body.messages = request.messages.map(toWireMessage);
    return body;
  }

  private async fetchEntry(
    request: LMRequest,
    params: EffectiveParams,
  ): Promise<CachedResponse & { attempts: number }> {
    if (isOfflineProvider(this.#info)) return this.offlineEntry(request, params);
    const ctx: AttemptContext = { attempts: 0, signal: request.signal };
    const run = async () => {
      const client = await this.#endpoint.client();
      const body = this.wireBody(request, params);
      const linked = request.signal
        ? (signals ?? (await loadSignals())).callSignal(request.signal)
        : undefined;
      try {
        const pending = client.chat.completions.create(
          body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
          { signal: linked?.forSdk(), ...attemptOptions(ctx) },
        );
        return await (linked ? linked.race(pending) : pending);
      } finally {
        linked?.release();
      }
    };
    let completion: ChatCompletion;
    try {
      completion = await (this.#limit ? this.#limit(run) : run());
    } catch (err) {
      this.#stats.failures += 1;
      this.countAttempts(ctx);
      throw await this.failed(err, ctx);
    }
    this.countAttempts(ctx);
    return this.toEntry(completion, ctx);
  }

  /** Answers with the offline default model (loaded on first use), within the concurrency bound. */
  private async offlineEntry(
    request: LMRequest,
    params: EffectiveParams,
  ): Promise<CachedResponse & { attempts: number }> {
    this.#offline ??= loadOfflineLM(this.supportsStructuredOutputs);
    const [offline, { offlineAnswer }] = await Promise.all([this.#offline, import('./offline-call.js')]);
    return offlineAnswer(offline, this.model, this.#limit, request, params);
  }

  private async toEntry(
    completion: ChatCompletion,
    ctx: AttemptContext,
  ): Promise<CachedResponse & { attempts: number }> {
    if (typeof completion !== 'object' || completion === null || !Array.isArray(completion.choices)) {
      this.#stats.failures += 1;
      throw (await loadFailures()).noChoicesError(this, ctx.attempts);
    }
    const sorted =
      completion.choices.length > 1
        ? [...completion.choices].sort((a, b) => a.index - b.index)
        : completion.choices;
    const choices = sorted.map((c) => c.message?.content ?? '');
    const toolCalls = fromWireToolCalls(sorted[0]?.message?.tool_calls);
    const entry = {
      text: choices[0] ?? '',
      choices,
      model: this.model,
      finishReason: mapFinish(sorted[0]?.finish_reason),
      usage: toUsage(completion.usage),
      ...(toolCalls ? { toolCalls } : {}),
      ...reasoningFields(sorted.map((c) => wireReasoning(c.message))),
      attempts: ctx.attempts,
    };
    await this.checkEmpty(entry, ctx);
    return entry;
  }

  /** Throws `LM_EMPTY` when no completion has text or tool calls. */
  private async checkEmpty(entry: CachedResponse, ctx: AttemptContext): Promise<void> {
    if (entry.choices.some((c) => c.trim() !== '') || (entry.toolCalls?.length ?? 0) > 0) return;
    this.#stats.failures += 1;
    throw (await loadFailures()).emptyError(this, entry.finishReason, ctx.attempts);
  }

  /** The `DspyError` of a failed call (a refused key or missing model stops later calls). */
  private failed(err: unknown, ctx: AttemptContext): Promise<DspyError> {
    return this.#endpoint.failed(err, ctx);
  }

  private countAttempts(ctx: AttemptContext): void {
    this.#stats.requests += ctx.attempts;
    this.#stats.retries += Math.max(0, ctx.attempts - 1);
  }

  private warnTemperature(): void {
    if (this.#warnedTemperature) return;
    this.#warnedTemperature = true;
    logger().warn(
      `LM ${this.model}: reasoning models only accept the default temperature; temperature is not sent`,
    );
  }

  /** Values never shown in errors, settings or logs: the key, secret header and body values. */
  private secrets(): string[] {
    return this.#endpoint.secrets();
  }

  /**
   * Checks, without sending a request, that this LM can be called: an API key when the provider
   * needs one, an http(s) base URL, and a key not already refused by the provider (a 401).
   * Throws `LM_AUTH` or `LM_CONFIG` saying how to fix it; `evaluate` calls it before its first
   * example, and a command-line run before it starts.
   *
   * @example
   * ```ts
   * const lm = new LM('openai/gpt-4o-mini');
   * lm.preflight(); // without OPENAI_API_KEY: DspyError LM_AUTH ... How to fix: Set OPENAI_API_KEY or pass { apiKey }.
   * ```
   */
  preflight(): void {
    // The offline default answers in process: there is no key or endpoint to check.
    if (isOfflineProvider(this.#info)) return;
    this.#endpoint.check();
  }

  /** A readable name for logs; never the key. */
  toString(): string {
    return `LM(${this.model})`;
  }

  /** JSON form: the safe settings. */
  toJSON(): Readonly<Record<string, unknown>> {
    return this.settings();
  }
}
