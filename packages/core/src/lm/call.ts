import { emit, newCallId } from '../callbacks.js';
import { DspyError } from '../errors.js';
import { currentSettings, type Settings } from '../settings.js';
import { tracedLMCall } from '../telemetry/index.js';
import { recordHistory } from './history.js';
import { costOf } from './prices.js';
import type { LanguageModel, LMRequest, LMResponse, LMStreamChunk } from './types.js';
import { type PlannedCall, reserveUsage, type UsageTicket } from './usage.js';

type ScopedRequest = NonNullable<Settings['lmRequest']>;

/**
 * The request actually sent: `request` with the settings' `lmRequest` applied over it.
 * Scoped request settings win (they exist to force parameters over a whole scope, e.g. an
 * optimizer sampling at temperature 1 with a fresh rolloutId); `extra` objects are merged.
 */
export function mergeRequest(request: LMRequest, scoped: ScopedRequest | undefined): LMRequest {
  if (!scoped) return request;
  const merged: Record<string, unknown> = { ...request };
  for (const [k, v] of Object.entries(scoped)) if (v !== undefined && k !== 'extra') merged[k] = v;
  if (scoped.extra) merged.extra = { ...request.extra, ...scoped.extra };
  return merged as unknown as LMRequest;
}

export function withCost(lm: LanguageModel, r: LMResponse): LMResponse {
  if (r.cacheHit) return r.cost === 0 ? r : { ...r, cost: 0 };
  if (r.cost !== undefined) return r;
  const cost = costOf(lm.model, r.usage);
  return cost === undefined ? r : { ...r, cost };
}

export function normalise(lm: LanguageModel, err: unknown): DspyError {
  if (err instanceof DspyError) return err;
  return DspyError.from(err, 'LM_SERVER', `LM ${lm.model} failed`);
}

/** What the budget needs to know of a call of `lm` with `request`, worked out only when a cap asks. */
export function plannedCall(lm: LanguageModel, request: LMRequest): PlannedCall {
  return {
    model: lm.model,
    estimate(estimateCall) {
      const own = lm.settings?.().maxTokens;
      const e = estimateCall(lm.model, request, typeof own === 'number' ? own : undefined);
      return { tokens: e.promptTokens + e.completionTokens, cost: e.cost };
    },
    ...(lm.cached
      ? { cached: () => (lm.cached as (r: LMRequest) => Promise<boolean>).call(lm, request) }
      : {}),
  };
}

/** A ticket, waiting for it only when a budget had to be asked. */
export async function ticketFor(lm: LanguageModel, request: LMRequest): Promise<UsageTicket> {
  return reserveUsage(plannedCall(lm, request));
}

/** One call of `lm`, its cost filled in and its failure normalised (what the LM span records). */
async function callOnce(lm: LanguageModel, request: LMRequest): Promise<LMResponse> {
  try {
    return withCost(lm, await lm.call(request));
  } catch (err) {
    throw normalise(lm, err);
  }
}

/**
 * The one way library code calls a model, whatever the `LanguageModel`: applies the scoped
 * `lmRequest` settings, refuses calls over a `trackUsage` budget (`BUDGET_EXHAUSTED`), emits
 * `lmStart` / `lmEnd` and an OpenTelemetry span with the LM metrics, records usage and appends
 * to the history.
 *
 * @example
 * ```ts
 * const res = await callLM(lm, { messages: [{ role: 'user', content: 'Say hi.' }] });
 * ```
 */
export async function callLM(lm: LanguageModel, request: LMRequest): Promise<LMResponse> {
  const settings = currentSettings();
  const merged = mergeRequest(request, settings.lmRequest);
  const reserved = reserveUsage(plannedCall(lm, merged));
  const ticket = reserved instanceof Promise ? await reserved : reserved;
  // Events are only built when someone listens (a cache hit is a few microseconds otherwise).
  const observed = settings.callbacks !== undefined && settings.callbacks.length > 0;
  const callId = observed ? newCallId() : '';
  const started = Date.now();
  if (observed) emit('lmStart', { callId, model: lm.model, request: merged });
  let response: LMResponse;
  try {
    response = await tracedLMCall(lm, merged, () => callOnce(lm, merged));
  } catch (err) {
    await ticket.release();
    const error = normalise(lm, err);
    if (observed) emit('lmEnd', { callId, model: lm.model, error });
    throw error;
  }
  const settled = ticket.settle(response);
  if (settled) await settled;
  recordHistory(lm.model, merged.messages, response, started);
  if (observed) emit('lmEnd', { callId, model: lm.model, response });
  return response;
}

/**
 * Streams a call through the same choke point as {@link callLM}. Yields text deltas of the
 * first completion (and `reasoning` deltas, before them, when a reasoning model streams its own
 * reasoning); the last chunk always carries `response` (for backends without `stream`,
 * one chunk with the whole text comes first).
 *
 * @example
 * ```ts
 * for await (const chunk of streamLM(lm, { messages })) process.stdout.write(chunk.delta);
 * ```
 */
export async function* streamLM(lm: LanguageModel, request: LMRequest): AsyncIterable<LMStreamChunk> {
  // The streaming half loads with the first stream: an app that only calls never loads it.
  const { streamCall } = await import('./call-stream.js');
  yield* streamCall(lm, request);
}
