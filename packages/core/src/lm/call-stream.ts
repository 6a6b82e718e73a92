/**
 * The streaming half of the LM choke point (`streamLM`): loaded with the first streamed call.
 */
import { emit, newCallId } from '../callbacks.js';
import { currentSettings } from '../settings.js';
import { type LMStreamObservation, observeLMStream, telemetryReady } from '../telemetry/index.js';
import { mergeRequest, normalise, ticketFor, withCost } from './call.js';
import { recordHistory } from './history.js';
import {
  type LanguageModel,
  type LMRequest,
  type LMResponse,
  type LMStreamChunk,
  reasoningFields,
} from './types.js';
import type { UsageTicket } from './usage.js';

/** The body of {@link streamLM}. */
export async function* streamCall(lm: LanguageModel, request: LMRequest): AsyncIterable<LMStreamChunk> {
  // Loads the OpenTelemetry API first if an SDK registered since (nothing to wait for otherwise).
  const telemetry = telemetryReady();
  if (telemetry) await telemetry;
  const merged = mergeRequest(request, currentSettings().lmRequest);
  const ticket = await ticketFor(lm, merged);
  const callId = newCallId();
  const started = Date.now();
  emit('lmStart', { callId, model: lm.model, request: merged });
  const observed = observeLMStream(lm, merged);
  try {
    yield* streamed(lm, merged, ticket, callId, started, observed);
  } finally {
    observed?.close();
  }
}

/** The body of {@link streamLM}: the chunks, then the final response (its span ended by `observed`). */
async function* streamed(
  lm: LanguageModel,
  merged: LMRequest,
  ticket: UsageTicket,
  callId: string,
  started: number,
  observed: LMStreamObservation | undefined,
): AsyncIterable<LMStreamChunk> {
  let final: LMResponse | undefined;
  let text = '';
  let thinking = '';
  try {
    if (lm.stream) {
      for await (const chunk of lm.stream(merged)) {
        if (chunk.response) {
          final = chunk.response;
          continue;
        }
        if (chunk.reasoning) {
          thinking += chunk.reasoning;
          yield { delta: '', reasoning: chunk.reasoning };
        }
        text += chunk.delta;
        if (chunk.delta) yield { delta: chunk.delta };
      }
    } else {
      final = await lm.call(merged);
      text = final.text;
      if (text) yield { delta: text };
    }
  } catch (err) {
    await ticket.release();
    const error = normalise(lm, err);
    emit('lmEnd', { callId, model: lm.model, error });
    observed?.failed(error);
    throw error;
  }
  const response = withCost(
    lm,
    final ?? {
      text,
      choices: [text],
      usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      model: lm.model,
      finishReason: 'unknown',
      cacheHit: false,
      ...reasoningFields([thinking]),
    },
  );
  await ticket.settle(response);
  recordHistory(lm.model, merged.messages, response, started);
  emit('lmEnd', { callId, model: lm.model, response });
  observed?.done(response);
  yield { delta: '', response };
}
