import type { ChatMessage, LMRequest, LMResponse, LMStreamChunk } from '../lm/types.js';
import { estimateTokens } from './prompt/render.js';
import type { PromptField } from './prompt/types.js';

/** A response for `texts` with the chars/4 token estimate. */
export function makeResponse(
  model: string,
  messages: readonly ChatMessage[],
  texts: readonly string[],
): LMResponse {
  const promptChars = messages.reduce((s, m) => s + m.content.length, 0);
  const completionChars = texts.reduce((s, t) => s + t.length, 0);
  const promptTokens = estimateTokens(promptChars);
  const completionTokens = estimateTokens(completionChars);
  return {
    text: texts[0] ?? '',
    choices: [...texts],
    usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens },
    model,
    finishReason: 'stop',
    cacheHit: false,
  };
}

/** Yields `text` in chunks of `size` characters. */
export async function* chunked(text: string, size: number): AsyncIterable<LMStreamChunk> {
  for (let at = 0; at < text.length; at += size) yield { delta: text.slice(at, at + size) };
}

/** A prompt text turned back into a value of the field's kind (JSON parsed when it parses). */
export function textToValue(text: string, field: PromptField | undefined): unknown {
  if (!field || field.kind === 'string' || field.kind === 'enum') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Number of completions a request asks for (at least 1). */
export function wanted(req: LMRequest): number {
  return Math.max(1, Math.floor(req.n ?? 1));
}
