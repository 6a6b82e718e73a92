import { type LanguageModel, LM, resolveModel } from '@dspy-ts/core';

const env = (key: string) => process.env[key]?.trim() || undefined;

/**
 * The model named by the environment: `DSPY_TS_LM` (`openai/gpt-4o-mini`, `ollama/llama3.2`, ...,
 * with `DSPY_TS_BASE_URL` for any OpenAI-compatible server), else `openai/gpt-4o-mini` when
 * `OPENAI_API_KEY` is set, else `ollama/<OLLAMA_MODEL or llama3.2>` when `OLLAMA_BASE_URL` is
 * set; `undefined` when none is (then the example runs offline).
 */
export function configuredModel(): string | undefined {
  const name = env('DSPY_TS_LM');
  if (name && name !== 'offline') return name;
  if (name === 'offline') return undefined;
  if (env('OPENAI_API_KEY')) return 'openai/gpt-4o-mini';
  if (env('OLLAMA_BASE_URL')) return `ollama/${env('OLLAMA_MODEL') ?? 'llama3.2'}`;
  return undefined;
}

/** The model this example runs on: {@link configuredModel}, else the offline default `new LM('offline')`. */
export function exampleLM(): { lm: LanguageModel; label: string } {
  const name = configuredModel();
  if (!name) return { lm: new LM('offline'), label: 'OfflineLM (offline default, no API key)' };
  const baseURL = env('DSPY_TS_BASE_URL');
  if (!baseURL) return { lm: new LM(name), label: name };
  // A server at DSPY_TS_BASE_URL may need no key: send a placeholder when none is set.
  const keyEnv = resolveModel(name, true).provider.apiKeyEnv;
  const apiKey = keyEnv && env(keyEnv) ? {} : { apiKey: 'no-key' };
  return { lm: new LM(name, { baseURL, ...apiKey }), label: `${name} at ${baseURL}` };
}
