import type { Usage } from './types.js';

/** Price of a model in US dollars per one million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
}

// Public list prices (USD / 1M tokens), standard tier, no cached-input discount.
const prices = new Map<string, ModelPrice>(
  Object.entries({
    'openai/gpt-4o-mini': { input: 0.15, output: 0.6 },
    'openai/gpt-4o': { input: 2.5, output: 10 },
    'openai/gpt-4.1': { input: 2, output: 8 },
    'openai/gpt-4.1-mini': { input: 0.4, output: 1.6 },
    'openai/gpt-4.1-nano': { input: 0.1, output: 0.4 },
    'openai/gpt-3.5-turbo': { input: 0.5, output: 1.5 },
    'openai/o1': { input: 15, output: 60 },
    'openai/o1-mini': { input: 1.1, output: 4.4 },
    'openai/o3': { input: 2, output: 8 },
    'openai/o3-mini': { input: 1.1, output: 4.4 },
    'openai/o4-mini': { input: 1.1, output: 4.4 },
    'openai/gpt-5': { input: 1.25, output: 10 },
    'openai/gpt-5-mini': { input: 0.25, output: 2 },
    'openai/gpt-5-nano': { input: 0.05, output: 0.4 },
    'anthropic/claude-3-5-haiku': { input: 0.8, output: 4 },
    'anthropic/claude-3-5-sonnet': { input: 3, output: 15 },
    'anthropic/claude-sonnet-4': { input: 3, output: 15 },
    'anthropic/claude-opus-4': { input: 15, output: 75 },
    'gemini/gemini-2.0-flash': { input: 0.1, output: 0.4 },
    'gemini/gemini-2.5-flash': { input: 0.3, output: 2.5 },
    'gemini/gemini-2.5-pro': { input: 1.25, output: 10 },
    'deepseek/deepseek-chat': { input: 0.27, output: 1.1 },
    'deepseek/deepseek-reasoner': { input: 0.55, output: 2.19 },
    'groq/llama-3.1-8b-instant': { input: 0.05, output: 0.08 },
    'groq/llama-3.3-70b-versatile': { input: 0.59, output: 0.79 },
    // Embedding models: input tokens only.
    'openai/text-embedding-3-small': { input: 0.02, output: 0 },
    'openai/text-embedding-3-large': { input: 0.13, output: 0 },
    'openai/text-embedding-ada-002': { input: 0.1, output: 0 },
    'gemini/gemini-embedding-001': { input: 0.15, output: 0 },
  }),
);

/** Providers that run on the user's own machine: their calls cost nothing. */
const LOCAL = new Set(['ollama', 'vllm', 'llamacpp', 'lmstudio']);

/**
 * Adds or replaces prices (USD per 1M tokens), keyed by `provider/model`.
 *
 * @example
 * ```ts
 * registerPrices({ 'openai/gpt-4o-mini': { input: 0.15, output: 0.6 } });
 * ```
 */
export function registerPrices(table: Readonly<Record<string, ModelPrice>>): void {
  for (const [model, price] of Object.entries(table)) prices.set(model, Object.freeze({ ...price }));
  resolved.clear();
}

/** Lookups already made (cleared whenever prices change). */
const resolved = new Map<string, ModelPrice | null>();

function stripVersion(model: string): string {
  return model.replace(/-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$/, '');
}

/** The price of `provider/model` (dated snapshots fall back to their family), if known. */
export function priceOf(model: string): ModelPrice | undefined {
  let found = resolved.get(model);
  if (found === undefined) {
    found = lookup(model) ?? null;
    resolved.set(model, found);
  }
  return found ?? undefined;
}

function lookup(model: string): ModelPrice | undefined {
  const rest = model.slice(model.indexOf('/') + 1);
  const last = model.split('/').at(-1) ?? model;
  const provider = model.slice(0, Math.max(0, model.indexOf('/')));
  const candidates = [model, stripVersion(model), rest, stripVersion(rest)];
  if (provider === 'azure' || provider === 'openrouter') candidates.push(`openai/${stripVersion(last)}`);
  for (const c of candidates) {
    const p = prices.get(c);
    if (p) return p;
  }
  return LOCAL.has(provider) ? { input: 0, output: 0 } : undefined;
}

/** Cost in USD of `usage` on `model`, or `undefined` when the price is unknown. */
export function costOf(model: string, usage: Usage): number | undefined {
  const p = priceOf(model);
  if (!p) return undefined;
  return (usage.promptTokens * p.input + usage.completionTokens * p.output) / 1_000_000;
}
