/**
 * The span and metrics of one LM request, after the OpenTelemetry semantic conventions for
 * generative AI (`gen_ai.*`), plus dspy-ts's own attributes (cache hit, retries, cost).
 */
import type { Attributes, Counter, Histogram, Meter, Span } from '@opentelemetry/api';
import { isDspyError } from '../errors.js';
import type { LanguageModel, LMRequest, LMResponse } from '../lm/types.js';
import { otelPending } from './otel.js';
import { activeMeter, activeTracer } from './provider.js';
import {
  contentText,
  recordFailure,
  recordsContent,
  SPAN_KIND_CLIENT,
  type SpanStart,
  traced,
} from './span.js';

interface LMInstruments {
  readonly meter: Meter;
  readonly duration: Histogram;
  readonly tokens: Histogram;
  readonly requests: Counter;
  readonly cost: Counter;
  readonly cacheHits: Counter;
}

let instruments: LMInstruments | undefined;

/** The LM metrics of the meter in force, made once per meter; undefined with no meter provider. */
function lmInstruments(): LMInstruments | undefined {
  const meter = activeMeter();
  if (!meter) return undefined;
  if (instruments?.meter === meter) return instruments;
  instruments = {
    meter,
    duration: meter.createHistogram('gen_ai.client.operation.duration', {
      description: 'Duration of LM requests (cache hits included)',
      unit: 's',
    }),
    tokens: meter.createHistogram('gen_ai.client.token.usage', {
      description: 'Tokens used per LM request, by gen_ai.token.type (input or output)',
      unit: '{token}',
    }),
    requests: meter.createCounter('dspy.lm.requests', { description: 'LM requests', unit: '{request}' }),
    cost: meter.createCounter('dspy.lm.cost', { description: 'Cost of LM requests', unit: 'USD' }),
    cacheHits: meter.createCounter('dspy.lm.cache_hits', {
      description: 'LM requests answered from the cache',
      unit: '{request}',
    }),
  };
  return instruments;
}

/** The provider of `lm`: its `provider` (an `LM`), else the prefix of `provider/model`. */
function providerOf(lm: LanguageModel): string | undefined {
  const own = (lm as { provider?: unknown }).provider;
  if (typeof own === 'string' && own !== '') return own;
  const slash = lm.model.indexOf('/');
  return slash > 0 ? lm.model.slice(0, slash) : undefined;
}

/** The model name sent to the endpoint (an `LM`'s `apiModel`), else the name after `provider/`. */
function requestModelOf(lm: LanguageModel): string {
  const api = (lm as { apiModel?: unknown }).apiModel;
  if (typeof api === 'string' && api !== '') return api;
  return lm.model.slice(lm.model.indexOf('/') + 1) || lm.model;
}

/** The attributes every LM span and metric point carries. */
function baseAttributes(lm: LanguageModel): Attributes {
  const provider = providerOf(lm);
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': requestModelOf(lm),
    ...(provider ? { 'gen_ai.provider.name': provider, 'gen_ai.system': provider } : {}),
  };
}

function spanStart(lm: LanguageModel, request: LMRequest): SpanStart {
  const attributes: Attributes = { ...baseAttributes(lm), 'dspy.lm.model': lm.model };
  if (request.temperature !== undefined) attributes['gen_ai.request.temperature'] = request.temperature;
  if (request.maxTokens !== undefined) attributes['gen_ai.request.max_tokens'] = request.maxTokens;
  if (request.n !== undefined && request.n !== 1) attributes['gen_ai.request.choice.count'] = request.n;
  if (request.stop?.length) attributes['gen_ai.request.stop_sequences'] = [...request.stop];
  if (request.tools?.length) attributes['dspy.lm.tools'] = request.tools.map((t) => t.name);
  if (recordsContent()) attributes['gen_ai.input.messages'] = contentText(request.messages);
  return { name: `chat ${attributes['gen_ai.request.model']}`, kind: SPAN_KIND_CLIENT, attributes };
}

function onResponse(span: Span, r: LMResponse): void {
  span.setAttributes({
    'gen_ai.response.model': r.model,
    'gen_ai.response.finish_reasons': [r.finishReason],
    'gen_ai.usage.input_tokens': r.usage.promptTokens,
    'gen_ai.usage.output_tokens': r.usage.completionTokens,
    'dspy.lm.cache_hit': r.cacheHit,
  });
  if (r.attempts !== undefined) span.setAttribute('dspy.lm.retries', Math.max(0, r.attempts - 1));
  if (r.cost !== undefined) span.setAttribute('dspy.lm.cost', r.cost);
  if (r.toolCalls?.length)
    span.setAttribute(
      'dspy.lm.tool_calls',
      r.toolCalls.map((c) => c.name),
    );
  if (recordsContent()) {
    const output = r.choices.map((text, i) => ({
      role: 'assistant',
      content: text,
      ...(i === 0 && r.toolCalls?.length ? { toolCalls: r.toolCalls } : {}),
    }));
    span.setAttribute('gen_ai.output.messages', contentText(output));
  }
}

/** Records one answered request: count, duration, tokens (not for cache hits), cost and cache hit. */
function recordAnswer(m: LMInstruments, lm: LanguageModel, r: LMResponse, started: number): void {
  const done = { ...baseAttributes(lm), 'gen_ai.response.model': r.model };
  m.duration.record((performance.now() - started) / 1000, done);
  m.requests.add(1, { ...done, 'dspy.lm.cache_hit': r.cacheHit });
  if (r.cacheHit) m.cacheHits.add(1, done);
  else {
    m.tokens.record(r.usage.promptTokens, { ...done, 'gen_ai.token.type': 'input' });
    m.tokens.record(r.usage.completionTokens, { ...done, 'gen_ai.token.type': 'output' });
  }
  if (r.cost) m.cost.add(r.cost, done);
}

/** Records one failed request: count and duration, with its `error.type`. */
function recordError(m: LMInstruments, lm: LanguageModel, err: unknown, started: number): void {
  const failed = { ...baseAttributes(lm), 'error.type': isDspyError(err) ? err.code : 'Error' };
  m.duration.record((performance.now() - started) / 1000, failed);
  m.requests.add(1, failed);
}

/** Runs `call` and records the LM metrics of its outcome. */
async function measured(m: LMInstruments, lm: LanguageModel, call: () => Promise<LMResponse>) {
  const started = performance.now();
  try {
    const r = await call();
    recordAnswer(m, lm, r, started);
    return r;
  } catch (err) {
    recordError(m, lm, err, started);
    throw err;
  }
}

/** The span and metrics of a streamed LM request, ended by exactly one of its methods. */
export interface LMStreamObservation {
  /** The stream ended with `response`. */
  done(response: LMResponse): void;
  /** The stream failed with `err`. */
  failed(err: unknown): void;
  /** Ends the span if neither of the others did (the reader stopped early). */
  close(): void;
}

/**
 * Starts the `chat <model>` span (a child of the active span) and the metrics of a streamed
 * request; undefined when neither a tracer nor a meter provider is registered. The caller waits
 * for `telemetryReady()` first, so that the API is loaded if anything is registered.
 */
export function observeLMStream(lm: LanguageModel, request: LMRequest): LMStreamObservation | undefined {
  const tracer = activeTracer();
  const m = lmInstruments();
  if (!tracer && !m) return undefined;
  const start = tracer ? spanStart(lm, request) : undefined;
  const span =
    tracer && start
      ? tracer.startSpan(start.name, { kind: start.kind, attributes: start.attributes })
      : undefined;
  const started = performance.now();
  let open = true;
  return {
    done(response) {
      if (!open) return;
      open = false;
      if (m) recordAnswer(m, lm, response, started);
      if (span?.isRecording()) onResponse(span, response);
      span?.end();
    },
    failed(err) {
      if (!open) return;
      open = false;
      if (m) recordError(m, lm, err, started);
      if (span) recordFailure(span, err);
      span?.end();
    },
    close() {
      if (!open) return;
      open = false;
      span?.setAttribute('dspy.lm.stream_abandoned', true);
      span?.end();
    },
  };
}

/**
 * Runs one LM request in a `chat <model>` client span with the GenAI attributes, and records
 * the LM metrics. Prompts and completions are attached only with `telemetry.recordContent`.
 */
export function tracedLMCall(
  lm: LanguageModel,
  request: LMRequest,
  call: () => Promise<LMResponse>,
): Promise<LMResponse> {
  const pending = otelPending();
  if (pending) return pending.then(() => tracedLMCall(lm, request, call));
  const m = lmInstruments();
  return traced(() => spanStart(lm, request), m ? () => measured(m, lm, call) : call, onResponse);
}
