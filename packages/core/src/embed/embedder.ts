import type OpenAI from 'openai';
import pLimit, { type LimitFunction } from 'p-limit';
import { DspyError } from '../errors.js';
import { getDefaultCache } from '../lm/cache/config.js';
import type { Cache } from '../lm/cache/types.js';
import { ProviderEndpoint } from '../lm/endpoint.js';
import { safeSettings } from '../lm/options.js';
import { costOf, priceOf } from '../lm/prices.js';
import { resolveModel } from '../lm/providers.js';
import { type AttemptContext, attemptOptions } from '../lm/transport.js';
import type { Usage } from '../lm/types.js';
import { reserveUsage, UsageCounter, type UsageSummary } from '../lm/usage.js';
import { logger } from '../settings.js';
import { float32FromBase64 } from './base64.js';
import { embeddingKey, fromCacheEntry, toCacheEntry } from './cache.js';
import {
  checkEmbedderOptions,
  EMBEDDER_OPTION_KEYS,
  type EmbedderOptions,
  type EmbedFunction,
  FUNCTION_EMBEDDER_OPTION_KEYS,
  type FunctionEmbedderOptions,
} from './options.js';
import { checkTexts, checkVectors } from './vectors.js';

/** Counters of the work an {@link Embedder} did. */
export interface EmbedderStats {
  /** Requests sent (HTTP attempts, retries included; for a function: its calls). */
  readonly requests: number;
  /** Attempts beyond the first of each request. */
  readonly retries: number;
  /** Requests that ended in an error. */
  readonly failures: number;
  /** Texts embedded by the model or function (cache hits not counted). */
  readonly texts: number;
}

const ZERO: Usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };

/**
 * Turns texts into vectors: over the `openai` package's embeddings endpoint of any provider of
 * the LM's table (`new Embedder('openai/text-embedding-3-small')`, or any OpenAI-compatible
 * `baseURL`), or over a function of your own (`new Embedder(fn)`). Batches texts
 * (`batchSize`), keeps at most `maxConcurrency` requests in flight, keeps the order, retries
 * and maps errors as `LM` does, caches each text's vector (keyed by model, dimensions and text;
 * a hit costs nothing) and counts tokens and cost.
 *
 * @example
 * ```ts
 * const embedder = new Embedder('openai/text-embedding-3-small', { dimensions: 512 });
 * const [a, b] = await embedder.embed(['a cat sat', 'a dog ran']);
 * const local = new Embedder(async (texts) => texts.map((t) => [t.length, 1]));
 * ```
 */
export class Embedder {
  /** `provider/model`, or the function's `name` (default `local`). */
  readonly model: string;
  /** The provider's name, or `function` for `new Embedder(fn)`. */
  readonly provider: string;
  /** The vector length asked for, if any (else the model's own). */
  readonly dimensions: number | undefined;
  readonly batchSize: number;
  readonly maxConcurrency: number;
  readonly #label: string;
  readonly #apiModel: string;
  readonly #fn: EmbedFunction | undefined;
  readonly #endpoint: ProviderEndpoint | undefined;
  readonly #options: EmbedderOptions | FunctionEmbedderOptions;
  /** The `cache` option: a `Cache`, `true` for the process-wide one (read at each call), or none. */
  readonly #cacheOption: Cache | boolean;
  readonly #limit: LimitFunction;
  readonly #usage = new UsageCounter();
  #stats = { requests: 0, retries: 0, failures: 0, texts: 0 };
  /** The length of the vectors seen so far, when `dimensions` was not given. */
  #seenDimensions: number | undefined;

  constructor(model: string, options?: EmbedderOptions);
  constructor(fn: EmbedFunction, options?: FunctionEmbedderOptions);
  constructor(source: string | EmbedFunction, options: EmbedderOptions | FunctionEmbedderOptions = {}) {
    this.#options = { ...options };
    if (typeof source === 'function') {
      checkEmbedderOptions('new Embedder(fn)', options, FUNCTION_EMBEDDER_OPTION_KEYS);
      const o = options as FunctionEmbedderOptions;
      this.#fn = source;
      this.model = o.name ?? 'local';
      this.#apiModel = this.model;
      this.provider = 'function';
      this.#label = 'Embedder(fn)';
      this.#cacheOption = o.cache || false;
    } else {
      const o = options as EmbedderOptions;
      const resolved = resolveModel(source, !!o.baseURL, 'Embedder');
      const where = `new Embedder('${source}')`;
      checkEmbedderOptions(where, options, EMBEDDER_OPTION_KEYS);
      if (resolved.provider.supportsEmbeddings === false) {
        throw new DspyError(
          'LM_CONFIG',
          `${where}: provider ${resolved.provider.name} has no embeddings endpoint`,
          {
            details: {
              where,
              provider: resolved.provider.name,
              fix: "Use a provider with embeddings ('openai/text-embedding-3-small', 'ollama/nomic-embed-text', ...) or new Embedder(fn).",
            },
          },
        );
      }
      this.model = resolved.fullName;
      this.#apiModel = resolved.apiModel;
      this.provider = resolved.provider.name;
      this.#label = `Embedder('${this.model}')`;
      this.#endpoint = new ProviderEndpoint('Embedder', this.model, resolved.provider, o);
      this.#cacheOption = o.cache ?? true;
    }
    this.dimensions = options.dimensions;
    this.batchSize = options.batchSize ?? (this.#fn ? 1000 : 200);
    this.maxConcurrency = options.maxConcurrency ?? 4;
    this.#limit = pLimit(this.maxConcurrency);
  }

  /** Token and cost totals: `calls` counts requests sent and texts answered by the cache (`cacheHits`, free). */
  get usage(): UsageSummary {
    return this.#usage.snapshot();
  }

  /** Request, retry, failure and text counters. */
  get stats(): EmbedderStats {
    return { ...this.#stats };
  }

  /**
   * One vector per text, in order, as the model or function gives it (not normalised). Texts
   * already in the cache are not sent; the others go in batches of `batchSize`, at most
   * `maxConcurrency` at a time. Throws `INPUT_INVALID` for a text that is not a non-empty
   * string, `LM_SERVER` for vectors of the wrong count or length or with a NaN, and the `LM_*`
   * errors of `LM` for a failed request.
   */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    checkTexts(`${this.#label}.embed(texts)`, texts);
    const cache = this.#cacheOption === true ? getDefaultCache() : this.#cacheOption || undefined;
    const out = new Array<Float32Array | undefined>(texts.length);
    const keys = cache ? texts.map((t) => embeddingKey(this.model, this.dimensions, t)) : [];
    // Each distinct text not in the cache is sent once, whatever its repeats.
    const missing = new Map<string, number[]>();
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i] as string;
      const hit = cache ? await this.lookup(cache, keys[i] as string) : undefined;
      if (hit) {
        out[i] = hit;
        this.#usage.add({ cacheHit: true, usage: ZERO, cost: 0 });
        continue;
      }
      const at = missing.get(text);
      if (at) at.push(i);
      else missing.set(text, [i]);
    }
    const todo = [...missing.keys()];
    const batches: string[][] = [];
    for (let i = 0; i < todo.length; i += this.batchSize) batches.push(todo.slice(i, i + this.batchSize));
    await Promise.all(
      batches.map((batch) =>
        this.#limit(async () => {
          const vectors = await this.request(batch);
          for (let j = 0; j < batch.length; j++) {
            const text = batch[j] as string;
            const vec = vectors[j] as Float32Array;
            const at = missing.get(text) ?? [];
            at.forEach((i, n) => {
              out[i] = n === 0 ? vec : vec.slice();
            });
            if (cache) await this.store(cache, keys[at[0] as number] as string, vec);
          }
        }),
      ),
    );
    return out as Float32Array[];
  }

  /** The vector of one text. */
  async embedOne(text: string): Promise<Float32Array> {
    checkTexts(`${this.#label}.embedOne(text)`, [text]);
    const [vec] = await this.embed([text]);
    return vec as Float32Array;
  }

  /**
   * Checks, without sending a request, that this embedder can be called: an API key when the
   * provider needs one and an http(s) base URL (nothing to check for a function). Throws
   * `LM_AUTH` or `LM_CONFIG` saying how to fix it.
   *
   * @example
   * ```ts
   * new Embedder('openai/text-embedding-3-small').preflight(); // without OPENAI_API_KEY: LM_AUTH
   * ```
   */
  preflight(): void {
    this.#endpoint?.check();
  }

  /** Settings safe to store beside an index: model, dimensions, base URL when credential-free; never a key. */
  settings(): Readonly<Record<string, unknown>> {
    const base = this.#endpoint
      ? safeSettings(this.model, this.#options as EmbedderOptions, this.#endpoint.secrets())
      : { model: this.model };
    return { ...base, ...(this.dimensions === undefined ? {} : { dimensions: this.dimensions }) };
  }

  /** A readable name for logs; never the key. */
  toString(): string {
    return `Embedder(${this.model})`;
  }

  private async lookup(cache: Cache, key: string): Promise<Float32Array | undefined> {
    const entry = cache.peek?.(key) ?? (await cache.get(key));
    return entry ? fromCacheEntry(entry, this.dimensions ?? this.#seenDimensions) : undefined;
  }

  /** Stores a vector; a cache that fails is logged, never allowed to fail the call. */
  private async store(cache: Cache, key: string, vec: Float32Array): Promise<void> {
    try {
      await cache.set(key, toCacheEntry(this.model, vec));
    } catch (err) {
      logger().warn(
        `${this.#label}: cache ${cache.name} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /** Embeds one batch with the function or the endpoint, and checks the vectors. */
  private async request(batch: string[]): Promise<Float32Array[]> {
    const reserved = reserveUsage({
      model: this.model,
      estimate: () => {
        const tokens = batch.reduce((n, t) => n + Math.ceil(t.length / 4), 0);
        const price = this.#fn ? { input: 0 } : priceOf(this.model);
        return { tokens, cost: price ? (tokens * price.input) / 1_000_000 : undefined };
      },
    });
    const ticket = reserved instanceof Promise ? await reserved : reserved;
    let raw: unknown;
    let usage = ZERO;
    const ctx: AttemptContext = { attempts: 0 };
    try {
      if (this.#fn) {
        ctx.attempts = 1;
        raw = await this.#fn([...batch]);
      } else {
        const answer = await this.remote(batch, ctx);
        raw = answer.vectors;
        usage = answer.usage;
      }
    } catch (err) {
      await ticket.release();
      this.#stats.failures += 1;
      throw this.#endpoint ? await this.#endpoint.failed(err, ctx) : this.functionFailed(err);
    } finally {
      this.#stats.requests += ctx.attempts;
      this.#stats.retries += Math.max(0, ctx.attempts - 1);
    }
    let vectors: Float32Array[];
    try {
      vectors = checkVectors(this.#label, raw, batch.length, this.dimensions ?? this.#seenDimensions);
    } catch (err) {
      await ticket.release();
      this.#stats.failures += 1;
      throw err;
    }
    this.#seenDimensions ??= vectors[0]?.length;
    this.#stats.texts += batch.length;
    const done = { cacheHit: false, usage, cost: this.#fn ? 0 : costOf(this.model, usage) };
    this.#usage.add(done);
    await ticket.settle(done);
    return vectors;
  }

  /** One request to the embeddings endpoint: vectors in base64 (decoded here), in input order. */
  private async remote(batch: string[], ctx: AttemptContext): Promise<{ vectors: unknown; usage: Usage }> {
    const client = await (this.#endpoint as ProviderEndpoint).client();
    const o = this.#options as EmbedderOptions;
    const body = {
      ...o.extra,
      model: this.#apiModel,
      input: batch,
      encoding_format: 'base64',
      ...(this.dimensions === undefined ? {} : { dimensions: this.dimensions }),
    } as OpenAI.EmbeddingCreateParams;
    const response = await client.embeddings.create(body, attemptOptions(ctx));
    const data = Array.isArray(response?.data)
      ? [...response.data].sort((a, b) => a.index - b.index)
      : undefined;
    const vectors = data?.map((d) => {
      const e: unknown = d.embedding;
      return typeof e === 'string' ? float32FromBase64(e) : e;
    });
    const tokens = response?.usage?.prompt_tokens ?? 0;
    const usage = {
      promptTokens: tokens,
      completionTokens: 0,
      totalTokens: response?.usage?.total_tokens ?? tokens,
    };
    return { vectors, usage };
  }

  private functionFailed(err: unknown): DspyError {
    if (err instanceof DspyError) return err;
    const msg = err instanceof Error ? err.message : String(err);
    return new DspyError('LM_SERVER', `${this.#label}: the embedding function failed: ${msg}`, {
      cause: err,
      details: { where: this.#label, fix: 'Fix the error in the function passed to new Embedder(fn).' },
    });
  }
}
