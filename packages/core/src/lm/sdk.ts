/** The `openai` package's module namespace. */
export type OpenAIModule = typeof import('openai');

let loading: Promise<OpenAIModule> | undefined;
let loaded: OpenAIModule | undefined;

/**
 * Loads the `openai` package once, on first use (importing `@dspy-ts/core` does not load it).
 *
 * @example
 * ```ts
 * const { default: OpenAI } = await loadOpenAI();
 * ```
 */
export function loadOpenAI(): Promise<OpenAIModule> {
  loading ??= import('openai').then((m) => {
    loaded = m;
    return m;
  });
  return loading;
}

/** The `openai` module if it was loaded already, else `undefined` (no SDK error can exist before). */
export function loadedOpenAI(): OpenAIModule | undefined {
  return loaded;
}
