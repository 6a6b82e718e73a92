import { parseOptionsOf } from '../adapters/base-adapter.js';
import { withJsonRepair } from '../adapters/json-extract.js';
import { ensureMediaContent } from '../adapters/media-parts.js';
import type { Adapter, AdapterCallArgs, AdapterCallResult } from '../adapters/types.js';
import { isDspyError } from '../errors.js';
import { streamLM } from '../lm/index.js';
import type { LMRequest, LMResponse } from '../lm/types.js';
import { isReasoningType } from '../signature/code-reasoning.js';
import type { SignatureSpec } from '../signature/spec.js';
import type { DeltaSink } from './context.js';
import type { Predictor } from './types.js';

type Spec = SignatureSpec<object, object>;

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One delta per output field, for adapters or fallbacks that cannot stream. */
function pushWhole(
  sink: DeltaSink,
  predictor: Predictor,
  spec: Spec,
  outputs: Record<string, unknown>,
  streamed: ReadonlySet<string> = new Set(),
): void {
  for (const f of spec.outputs) {
    const v = outputs[f.name];
    if (v !== undefined && !streamed.has(f.name)) sink.push(predictor, f.name, asText(v));
  }
}

/**
 * Calls the LM through `streamLM` and sends each output field's text to `sink` as it arrives
 * (parsed incrementally from the chat format; a `Reasoning` output from the model's own
 * reasoning as it streams, when a reasoning model sends one, and then not from the text), then
 * parses and validates the whole completion.
 * Adapters without an incremental parser (`Adapter.streamParser`, `ChatAdapter`'s) get one delta
 * per field after parsing; adapters whose outputs exist only after `call` (`outputsAfterCall`:
 * `TwoStepAdapter`) run it unstreamed, then give one delta per field.
 * When the completion does not parse, the adapter's own `call` (with its fallbacks) runs instead.
 * @internal
 */
export async function streamCall(
  predictor: Predictor,
  spec: Spec,
  adapter: Adapter,
  args: AdapterCallArgs,
  sink: DeltaSink,
): Promise<AdapterCallResult> {
  if (adapter.outputsAfterCall) {
    // The outputs exist only after the extraction call: no deltas before it.
    const result = await adapter.call(spec, args);
    if (result.outputs[0]) pushWhole(sink, predictor, spec, result.outputs[0]);
    return result;
  }
  const loading = adapter.load?.();
  if (loading) await loading;
  const media = ensureMediaContent(args);
  if (media) await media;
  const messages = adapter.format(spec, args);
  const request: LMRequest = { ...adapter.requestOptions?.(spec, args.lm, args), ...args.request, messages };
  const parser = adapter.streamParser?.(spec);
  // Fields filled from the model's own streamed reasoning: their text deltas are not sent.
  const native = new Set<string>();
  const reasoningFields = spec.outputs.filter(isReasoningType).map((f) => f.name);
  let text = '';
  let response: LMResponse | undefined;
  for await (const chunk of streamLM(args.lm, request)) {
    if (chunk.response) response = chunk.response;
    if (chunk.reasoning) {
      for (const name of reasoningFields) {
        native.add(name);
        sink.push(predictor, name, chunk.reasoning);
      }
    }
    if (!chunk.delta) continue;
    text += chunk.delta;
    if (parser)
      for (const d of parser.push(chunk.delta))
        if (!native.has(d.field)) sink.push(predictor, d.field, d.delta);
  }
  if (parser) for (const d of parser.end()) if (!native.has(d.field)) sink.push(predictor, d.field, d.delta);
  const final: LMResponse = response ?? {
    text,
    choices: [text],
    usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
    model: args.lm.model,
    finishReason: 'unknown',
    cacheHit: false,
  };
  const texts = final.choices.length > 0 ? final.choices : [final.text];
  try {
    // Native tool calls arrive whole in the final chunk's response (they belong to the first completion).
    const outputs = await withJsonRepair(() =>
      texts.map((t, i) => adapter.parse(spec, t, parseOptionsOf(final, i, args.lm))),
    );
    if (!parser && outputs[0]) pushWhole(sink, predictor, spec, outputs[0], native);
    return { outputs, response: final, messages, adapter: adapter.name, responses: [final] };
  } catch (err) {
    if (!isDspyError(err, 'ADAPTER_PARSE', 'LM_EMPTY')) throw err;
    const result = await adapter.call(spec, args);
    const first = result.outputs[0];
    if (first) pushWhole(sink, predictor, spec, first, native);
    return { ...result, responses: [final, ...(result.responses ?? [result.response])] };
  }
}
