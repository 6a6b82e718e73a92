import type { LanguageModel, LMRequest, LMResponse, LMStreamChunk } from '../lm/types.js';
import { parsePrompt } from './prompt/parse-prompt.js';
import { renderOutputs } from './prompt/render.js';
import { answerMeta, isMetaRequest } from './proposer.js';
import { chunked, makeResponse, wanted } from './shared-lm.js';
import { answerTask } from './task.js';

/** Options of {@link OfflineLM}. */
export interface OfflineLMOptions {
  /** Name in logs and responses (default `offline`). */
  readonly model?: string;
  /** Characters per `stream()` chunk (default 8). */
  readonly chunkChars?: number;
  /** Whether adapters may send `responseFormat: json_schema` (default true). */
  readonly supportsStructuredOutputs?: boolean;
}

/**
 * A deterministic in-context learner and instruction proposer that runs offline. It reads the
 * adapter's prompt (fields, instructions, demos, inputs) and answers each output by the first
 * matching instruction rule (`If the text mentions "refund", answer "request_refund".`), else by
 * the most similar demo (TF-IDF), else a weak default. A prompt's earlier turns (a `History`
 * input) look like demos on the wire, and it reads them as such: an answered turn is one more
 * example, a turn without the field asked for is never the one it copies. Asked for a `proposedInstruction`, it mines
 * such rules from the `taskDemos` it is shown. The same messages always get the same answer.
 *
 * @example
 * ```ts
 * configure({ lm: new OfflineLM() });
 * const before = await evaluate(program, devset, metric);
 * const compiled = await new BootstrapFewShot({ metric }).compile(program, { trainset });
 * const after = await evaluate(compiled.program, devset, metric); // after.score > before.score
 * ```
 */
export class OfflineLM implements LanguageModel {
  readonly model: string;
  readonly supportsStructuredOutputs: boolean;
  private calls = 0;

  constructor(private readonly options: OfflineLMOptions = {}) {
    this.model = options.model ?? 'offline';
    this.supportsStructuredOutputs = options.supportsStructuredOutputs ?? true;
  }

  /** Number of calls so far. */
  get callCount(): number {
    return this.calls;
  }

  async call(request: LMRequest): Promise<LMResponse> {
    return makeResponse(this.model, request.messages, this.complete(request));
  }

  async *stream(request: LMRequest): AsyncIterable<LMStreamChunk> {
    const [text = ''] = this.complete(request);
    yield* chunked(text, Math.max(1, this.options.chunkChars ?? 8));
  }

  /** Settings safe to store in an artifact. */
  settings(): Readonly<Record<string, unknown>> {
    return { model: this.model };
  }

  /** The completion texts for a request (pure: depends on messages, `n`, `rolloutId`, `responseFormat`). */
  complete(request: LMRequest): string[] {
    this.calls++;
    const prompt = parsePrompt(request.messages, request);
    const meta = isMetaRequest(prompt);
    const n = wanted(request);
    const render = (o: Record<string, unknown>) =>
      renderOutputs(o, prompt.system.outputs, prompt.json, prompt.xml);
    if (meta) return Array.from({ length: n }, (_, i) => render(answerMeta(prompt, request.rolloutId, i)));
    const sampled = request.rolloutId !== undefined && (request.temperature ?? 0) > 0;
    const text = render(answerTask(prompt, request.rolloutId, sampled));
    return Array.from({ length: n }, () => text);
  }
}
