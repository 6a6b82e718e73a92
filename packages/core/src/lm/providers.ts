import { DspyError } from '../errors.js';

/** How to reach one provider's OpenAI-compatible chat-completions endpoint. */
export interface ProviderInfo {
  /** The prefix of `provider/model` (`openai`, `groq`, ...); `custom` for a bare `baseURL`. */
  readonly name: string;
  /** Default base URL (ends before `/chat/completions`). */
  readonly baseURL: string;
  /** Environment variable holding the API key (`undefined`: no key needed). */
  readonly apiKeyEnv?: string;
  /** True when a request without a key is certain to fail. */
  readonly requiresKey: boolean;
  /** Environment variable that overrides the base URL. */
  readonly baseURLEnv?: string;
  /** True when the endpoint honours `response_format: json_schema`. */
  readonly supportsStructuredOutputs: boolean;
  /** False when the endpoint is known not to take `tools` (function calling); default true. */
  readonly supportsToolCalls?: boolean;
  /** False when the provider is known to have no `/embeddings` endpoint; default true. */
  readonly supportsEmbeddings?: boolean;
}

/**
 * The providers, one a line: name, default base URL (`-`: none, set its variable), and flags:
 * `k` a key is required, `s` structured outputs, `e` no embeddings endpoint. The key and base URL
 * variables are `<PREFIX>_API_KEY` and `<PREFIX>_BASE_URL`, the prefix being the upper-case name
 * unless a fourth column gives it.
 */
const ROWS = `openai https://api.openai.com/v1 ks
azure - ks AZURE_OPENAI
ollama http://localhost:11434/v1 s
vllm http://localhost:8000/v1 s
llamacpp http://localhost:8080/v1 s
lmstudio http://localhost:1234/v1 s LM_STUDIO
openrouter https://openrouter.ai/api/v1 ks
together https://api.together.xyz/v1 k
groq https://api.groq.com/openai/v1 ke
deepseek https://api.deepseek.com/v1 ke
fireworks https://api.fireworks.ai/inference/v1 ks
gemini https://generativelanguage.googleapis.com/v1beta/openai ks
anthropic https://api.anthropic.com/v1 ke`;

const table: ProviderInfo[] = ROWS.split('\n').map((row) => {
  const [name = '', url = '', flags = '', prefix = name.toUpperCase()] = row.split(' ');
  return Object.freeze({
    name,
    baseURL: url === '-' ? '' : url,
    apiKeyEnv: `${prefix}_API_KEY`,
    requiresKey: flags.includes('k'),
    baseURLEnv: `${prefix}_BASE_URL`,
    supportsStructuredOutputs: flags.includes('s'),
    ...(flags.includes('e') ? { supportsEmbeddings: false } : {}),
  });
});

const byName = new Map<string, ProviderInfo>(table.map((info) => [info.name, info]));

/** The provider used for a bare `baseURL` with an unknown prefix (no key needed, no structured outputs). */
export const CUSTOM_PROVIDER: ProviderInfo = Object.freeze({
  name: 'custom',
  baseURL: '',
  requiresKey: false,
  supportsStructuredOutputs: false,
});

/** Every known provider, in table order. */
export function listProviders(): readonly ProviderInfo[] {
  return [...table];
}

/** Adds or replaces a provider (e.g. a company gateway), usable as `name/model`. */
export function registerProvider(info: ProviderInfo): void {
  if (!/^[a-z0-9_-]+$/.test(info.name)) {
    throw new DspyError('LM_CONFIG', `registerProvider: invalid provider name "${info.name}"`, {
      details: { where: 'registerProvider', fix: 'Use lower-case letters, digits, "-" or "_".' },
    });
  }
  const frozen = Object.freeze({ ...info });
  const i = table.findIndex((t) => t.name === info.name);
  if (i >= 0) table[i] = frozen;
  else table.push(frozen);
  byName.set(info.name, frozen);
}

/** A `provider/model` string split and resolved. */
export interface ResolvedModel {
  readonly provider: ProviderInfo;
  /** The model name sent to the endpoint (`gpt-4o-mini`, `meta-llama/Llama-3-8b`). */
  readonly apiModel: string;
  /** The full name used in logs, cache keys and prices (`openai/gpt-4o-mini`). */
  readonly fullName: string;
}

/**
 * Splits `provider/model` and finds the provider. A bare model name is OpenAI's; an unknown
 * prefix is allowed only with an explicit `baseURL` (the whole string is then the model name).
 * `label` is the class named in errors (`LM`, `Embedder`).
 */
export function resolveModel(model: string, hasBaseURL: boolean, label = 'LM'): ResolvedModel {
  if (typeof model !== 'string' || model.trim() === '') {
    throw new DspyError('LM_CONFIG', `new ${label}(model): the model name is empty`, {
      details: {
        where: `new ${label}()`,
        fix: `Pass 'provider/model', e.g. new ${label}('openai/gpt-4o-mini').`,
      },
    });
  }
  const slash = model.indexOf('/');
  const prefix = slash > 0 ? model.slice(0, slash) : '';
  const known = prefix ? byName.get(prefix) : undefined;
  if (known && model.slice(slash + 1).trim() === '') {
    throw new DspyError('LM_CONFIG', `new ${label}('${model}'): no model name after "${prefix}/"`, {
      details: {
        where: `new ${label}()`,
        provider: prefix,
        fix: `Name the model: new ${label}('${prefix}/<model>').`,
      },
    });
  }
  if (known) return { provider: known, apiModel: model.slice(slash + 1), fullName: model };
  if (hasBaseURL) return { provider: CUSTOM_PROVIDER, apiModel: model, fullName: model };
  if (!prefix) return { provider: byName.get('openai')!, apiModel: model, fullName: `openai/${model}` };
  const names = table.map((t) => t.name).join(', ');
  throw new DspyError('LM_CONFIG', `new ${label}('${model}'): unknown provider "${prefix}"`, {
    details: {
      where: `new ${label}()`,
      provider: prefix,
      fix: `Use one of ${names}, or pass { baseURL } for any OpenAI-compatible endpoint.`,
    },
  });
}
