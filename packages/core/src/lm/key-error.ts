import { DspyError } from '../errors.js';

/** What an LM error message needs to know about the LM. */
export interface ErrorContext {
  /** The class named in messages: `LM` (default) or `Embedder`. */
  readonly label?: string;
  /** `provider/model`. */
  readonly model: string;
  readonly provider: string;
  /** Environment variable of the key, if the provider has one. */
  readonly apiKeyEnv?: string;
  /** Host of the endpoint (never the full URL: it may carry credentials). */
  readonly host: string;
  readonly timeoutMs: number;
  readonly numRetries: number;
  /** Secrets (the key, secret header values) masked wherever they appear in the error. */
  readonly secrets: readonly string[];
}

/** The class named in messages. */
export function labelOf(c: ErrorContext): string {
  return c.label ?? 'LM';
}

/** The error for a missing API key, naming the variable to set. */
export function missingKeyError(c: ErrorContext): DspyError {
  const env = c.apiKeyEnv ?? 'the API key variable';
  return new DspyError('LM_AUTH', `${labelOf(c)} ${c.model}: no API key for provider ${c.provider}`, {
    details: {
      where: `new ${labelOf(c)}('${c.model}')`,
      fix: `Set ${env} or pass { apiKey }.`,
      provider: c.provider,
      model: c.model,
      attempts: 0,
    },
  });
}
