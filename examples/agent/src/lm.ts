import { type LanguageModel, LM } from '@dspy-ts/core';
import { OfflineLM } from '@dspy-ts/testing';

/**
 * The model this example runs on: `DSPY_TS_LM` (`openai/gpt-4o-mini`, `ollama/llama3.2`, ...,
 * with `DSPY_TS_BASE_URL` for any OpenAI-compatible server), else `openai/gpt-4o-mini` when
 * `OPENAI_API_KEY` is set, else the offline default.
 */
export function exampleLM(): { lm: LanguageModel; label: string } {
  const env = (key: string) => process.env[key]?.trim() || undefined;
  const name = env('DSPY_TS_LM') ?? (env('OPENAI_API_KEY') ? 'openai/gpt-4o-mini' : 'offline');
  if (name === 'offline') return { lm: new OfflineLM(), label: 'OfflineLM (offline default, no API key)' };
  const baseURL = env('DSPY_TS_BASE_URL');
  return { lm: new LM(name, baseURL ? { baseURL } : {}), label: baseURL ? `${name} at ${baseURL}` : name };
}
