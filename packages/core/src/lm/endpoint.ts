import type OpenAI from 'openai';
import { DspyError } from '../errors.js';
import { envVar } from '../runtime/node-builtins.js';
import { logger } from '../settings.js';
import { redactText } from '../utils/redact.js';
import { type BackoffPolicy, DEFAULT_BACKOFF } from './backoff.js';
import { createHttpFetch } from './http-fetch.js';
import { type ErrorContext, missingKeyError } from './key-error.js';
import { type LMOptions, secretsOf } from './options.js';
import type { ProviderInfo } from './providers.js';
import { loadOpenAI } from './sdk.js';
import { type AttemptContext, createRetryFetch } from './transport.js';

/** The options of an `LM` or `Embedder` that say how to reach and call its endpoint. */
export type EndpointOptions = Pick<
  LMOptions,
  | 'apiKey'
  | 'baseURL'
  | 'timeoutMs'
  | 'numRetries'
  | 'maxConcurrency'
  | 'backoff'
  | 'headers'
  | 'fetch'
  | 'extra'
>;

type LMErrors = typeof import('./lm-errors.js');
let lmErrors: LMErrors | undefined;

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return 'the endpoint';
  }
}

/**
 * How one `LM` or `Embedder` reaches its provider: the API key and base URL (options, else the
 * provider's environment variables), the `openai` client made on first use (with the project's
 * retry transport and a logger that never shows a secret), the secrets to mask, and the first
 * refusal of the key (401) or model (404), after which nothing is sent again.
 */
export class ProviderEndpoint {
  readonly #options: EndpointOptions;
  readonly #backoff: BackoffPolicy;
  #client: OpenAI | undefined;
  #refused: DspyError | undefined;

  /**
   * @param label - `LM` or `Embedder`: the class named in errors (`new Embedder('openai/...')`).
   * @param model - `provider/model`.
   */
  constructor(
    readonly label: string,
    readonly model: string,
    readonly info: ProviderInfo,
    options: EndpointOptions,
  ) {
    this.#options = options;
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  }

  /** The client to call with: made on first use; throws at once after a refusal (401/404). */
  async client(): Promise<OpenAI> {
    if (this.#refused) this.check();
    return this.#client ?? (await this.load());
  }

  /**
   * The `DspyError` of a failed call; remembers a refused key (401) or a missing model (404).
   * The mapping of SDK errors loads with the first failure.
   */
  async failed(err: unknown, ctx: AttemptContext): Promise<DspyError> {
    lmErrors ??= await import('./lm-errors.js');
    const error = lmErrors.toLMError(err, this.errorContext(), ctx);
    const fixed =
      (error.code === 'LM_AUTH' && error.details.status === 401) ||
      (error.code === 'LM_NOT_FOUND' && error.details.status === 404);
    if (fixed) this.#refused ??= error;
    return error;
  }

  /** The base URL: the option, else the provider's variable, else its default. */
  baseURL(): string {
    const o = this.#options;
    const env = this.info.baseURLEnv ? envVar(this.info.baseURLEnv) : undefined;
    return o.baseURL ?? (env && env.trim() !== '' ? env : this.info.baseURL);
  }

  /** What error messages need to know about this endpoint. */
  errorContext(): ErrorContext {
    return {
      label: this.label,
      model: this.model,
      provider: this.info.name,
      apiKeyEnv: this.info.apiKeyEnv,
      host: hostOf(this.baseURL()),
      timeoutMs: this.#options.timeoutMs ?? 600_000,
      numRetries: this.#options.numRetries ?? 3,
      secrets: this.secrets(),
    };
  }

  /** Values never shown in errors, settings or logs: the key, secret header and body values. */
  secrets(): string[] {
    return secretsOf(this.#options, this.apiKey());
  }

  private apiKey(): string | undefined {
    const env = this.info.apiKeyEnv ? envVar(this.info.apiKeyEnv) : undefined;
    return this.#options.apiKey ?? (env && env.trim() !== '' ? env : undefined);
  }

  /**
   * The key and base URL to call with, or the configuration error that stops every call: a key
   * refused earlier, no key where the provider needs one, no base URL, or one without http(s).
   */
  check(): { apiKey: string | undefined; baseURL: string } {
    // A refusal is only known from a failed call, which loaded the error mapping.
    if (this.#refused)
      throw lmErrors ? lmErrors.refusedKeyError(this.errorContext(), this.#refused) : this.#refused;
    const apiKey = this.apiKey();
    if (!apiKey && this.info.requiresKey) throw missingKeyError(this.errorContext());
    const baseURL = this.baseURL();
    const where = `new ${this.label}('${this.model}')`;
    const provider = this.info.name;
    if (!baseURL) {
      const env = this.info.baseURLEnv ?? 'the base URL variable';
      throw new DspyError('LM_CONFIG', `${this.label} ${this.model}: no base URL for provider ${provider}`, {
        details: { where, fix: `Set ${env} or pass { baseURL }.`, provider },
      });
    }
    if (!/^https?:\/\/[^/]/i.test(baseURL)) {
      throw new DspyError(
        'LM_CONFIG',
        // Not shown: a string that is not a URL may hold credentials anywhere.
        `${this.label} ${this.model}: the base URL does not start with http:// or https://`,
        {
          details: {
            where,
            fix: 'Pass a base URL with its scheme, e.g. { baseURL: "http://127.0.0.1:8000/v1" }.',
            provider,
          },
        },
      );
    }
    return { apiKey, baseURL };
  }

  /** Makes the SDK client on first use (loading the `openai` package then). */
  private async load(): Promise<OpenAI> {
    const { apiKey, baseURL } = this.check();
    const { default: OpenAIClient } = await loadOpenAI();
    if (this.#client) return this.#client;
    const log = logger();
    const secrets = this.secrets();
    const clean = (m: string) => redactText(m, secrets);
    this.#client = new OpenAIClient({
      apiKey: apiKey ?? 'not-needed',
      baseURL,
      // The OpenAI organisation and project variables belong to OpenAI only.
      ...(this.info.name === 'openai' ? {} : { organization: null, project: null }),
      // In a browser the SDK refuses to run lest a key leak; without a key (a proxy holds it) there is none to leak.
      dangerouslyAllowBrowser: apiKey === undefined,
      maxRetries: this.#options.numRetries ?? 3,
      timeout: this.#options.timeoutMs ?? 600_000,
      fetch: createRetryFetch(
        this.#backoff,
        this.#options.fetch ??
          createHttpFetch({ poolSize: Math.max(256, this.#options.maxConcurrency ?? 0) }),
      ),
      defaultHeaders: this.#options.headers ? { ...this.#options.headers } : undefined,
      logLevel: 'warn',
      logger: {
        error: (m) => log.warn(clean(m)),
        warn: (m) => log.warn(clean(m)),
        info: (m) => log.info(clean(m)),
        debug: (m) => log.debug(clean(m)),
      },
    });
    return this.#client;
  }
}
