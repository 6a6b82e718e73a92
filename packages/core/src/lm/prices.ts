import type { Usage } from './types.js';

/** Price of a model in US dollars per one million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
}

// Public list prices (USD / 1M tokens), standard tier, no cached-input discount: one model a line,
// `provider/model input output` (embedding models: input tokens only, output 0).
const TABLE = `openai/gpt-4o-mini 0.15 0.6
openai/gpt-4o 2.5 10
openai/gpt-4.1 2 8
openai/gpt-4.1-mini 0.4 1.6
openai/gpt-4.1-nano 0.1 0.4
openai/gpt-3.5-turbo 0.5 1.5
openai/o1 15 60
openai/o1-mini 1.1 4.4
openai/o3 2 8
openai/o3-mini 1.1 4.4
openai/o4-mini 1.1 4.4
openai/gpt-5 1.25 10
openai/gpt-5-mini 0.25 2
openai/gpt-5-nano 0.05 0.4
anthropic/claude-3-5-haiku 0.8 4
anthropic/claude-3-5-sonnet 3 15
anthropic/claude-sonnet-4 3 15
anthropic/claude-opus-4 15 75
gemini/gemini-2.0-flash 0.1 0.4
gemini/gemini-2.5-flash 0.3 2.5
gemini/gemini-2.5-pro 1.25 10
deepseek/deepseek-chat 0.27 1.1
deepseek/deepseek-reasoner 0.55 2.19
groq/llama-3.1-8b-instant 0.05 0.08
groq/llama-3.3-70b-versatile 0.59 0.79
openai/text-embedding-3-small 0.02 0
openai/text-embedding-3-large 0.13 0
openai/text-embedding-ada-002 0.1 0
gemini/gemini-embedding-001 0.15 0`;

const prices = new Map<string, ModelPrice>(
  TABLE.split('\n').map((line) => {
    const [model = '', input, output] = line.split(' ');
    return [model, { input: Number(input), output: Number(output) }];
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
