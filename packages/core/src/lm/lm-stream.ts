/**
 * The streaming half of {@link LM} (`lm.stream`): the chat-completions stream read into text,
 * reasoning and tool-call deltas. Loaded with the first stream. @internal
 */
import type OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { DspyError } from '../errors.js';
import type { Limit } from '../runtime/limit.js';
import type { CachedResponse } from './cache/types.js';
import { CallAbortedError, callSignal } from './call-signal.js';
import { mapFinish, toUsage, wireReasoning } from './lm.js';
import { ToolCallAssembler } from './tool-call-assembler.js';
import { type AttemptContext, attemptOptions } from './transport.js';
import { type LMRequest, type LMStreamChunk, reasoningFields, type Usage } from './types.js';

/** What a stream needs of its `LM`. */
export interface StreamHost {
  readonly model: string;
  readonly limit: Limit | undefined;
  /** The SDK client (made on first use). */
  client(): Promise<OpenAI>;
  /** The request body, without `stream`. */
  body(): Record<string, unknown>;
  /** Counts the failure and gives the `DspyError` of `err`. */
  failed(err: unknown): Promise<DspyError>;
  /** Counts the attempts made, when the stream ends either way. */
  settle(): void;
}

/**
 * Streams one request: yields the first completion's text and reasoning deltas, and returns the
 * whole entry (every completion, usage, tool calls). Throws the LM's `DspyError` on failure.
 */
export async function* streamEntry(
  host: StreamHost,
  request: LMRequest,
  ctx: AttemptContext,
): AsyncGenerator<LMStreamChunk, CachedResponse> {
  const texts: string[] = [];
  const thoughts: (string | undefined)[] = [];
  const calls = new ToolCallAssembler();
  let finish: string | null | undefined;
  let usage: Usage | undefined;
  const linked = callSignal(request.signal);
  try {
    const client = await host.client();
    const body = { ...host.body(), stream: true, stream_options: { include_usage: true } };
    const open = () =>
      client.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsStreaming, {
        signal: linked?.forSdk(),
        ...attemptOptions(ctx),
      });
    const opening = host.limit ? host.limit(open) : open();
    const stream = await (linked ? linked.race(opening) : opening);
    for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
      if (chunk.usage) usage = toUsage(chunk.usage);
      for (const c of chunk.choices ?? []) {
        const piece = c.delta?.content ?? '';
        texts[c.index] = (texts[c.index] ?? '') + piece;
        const thought = wireReasoning(c.delta);
        if (thought) thoughts[c.index] = (thoughts[c.index] ?? '') + thought;
        if (c.index === 0 && thought) yield { delta: '', reasoning: thought };
        if (c.finish_reason && c.index === 0) finish = c.finish_reason;
        if (c.index === 0) calls.add(c.delta?.tool_calls);
        if (c.index === 0 && piece) yield { delta: piece };
      }
    }
    // The SDK ends a stream quietly when its request is aborted: what came so far is not an answer.
    if (request.signal?.aborted) throw new CallAbortedError(request.signal.reason);
  } catch (err) {
    throw await host.failed(err);
  } finally {
    linked?.release();
    host.settle();
  }
  const choices = Array.from(texts, (t) => t ?? '');
  const toolCalls = calls.calls();
  return {
    text: choices[0] ?? '',
    choices,
    model: host.model,
    finishReason: mapFinish(finish),
    usage: usage ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
    ...(toolCalls ? { toolCalls } : {}),
    ...reasoningFields(choices.map((_, i) => thoughts[i])),
  };
}
