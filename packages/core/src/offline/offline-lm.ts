import type { LanguageModel, LMRequest, LMResponse, LMStreamChunk, ToolCall } from '../lm/types.js';
import { fitToolChoice } from './agent/guess.js';
import { type AgentAnswer, answerAgent } from './agent/policy.js';
import { type AgentPrompt, readAgentPrompt } from './agent/read.js';
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
  /**
   * Whether adapters may send `tools` and read the answer's `toolCalls` (default true). With
   * `false`, adapters in `'auto'` mode write tools and calls as text, and it answers in text.
   */
  readonly supportsToolCalls?: boolean;
}

/** The texts of an answer, and the tool calls of its first completion (native tool calling). */
interface Answer {
  readonly texts: string[];
  readonly toolCalls?: readonly ToolCall[];
}

/**
 * A deterministic in-context learner and instruction proposer that runs offline. It reads the
 * adapter's prompt (fields, instructions, demos, inputs; `TwoStepAdapter`'s natural prompt too,
 * answered in its `name: value` prose) and answers each output by the first
 * matching instruction rule (`If the text mentions "refund", answer "request_refund".`), else by
 * the most similar demo (TF-IDF), else a weak default. Given passages (a `context` /
 * `passages` input) and a question, it reads a short answer out of them: the best-matching
 * sentence zero-shot, with demos the span whose type, length and place resemble their answers';
 * asked for a `query`, it writes one from the question as its demos do (`reader/`). A prompt's earlier turns (a `History`
 * input) look like demos on the wire, and it reads them as such: an answered turn is one more
 * example, a turn without the field asked for is never the one it copies. Asked for a `proposedInstruction`, it mines
 * such rules from the `taskDemos` it is shown. Offered tools (natively, or as a `Tool[]` input
 * with a `ToolCalls` output), it acts as an agent: it imitates the nearest demo turn at the same
 * point of its run, carrying argument values over from the inputs and earlier tool results, and
 * without demos makes a weak guess (see the testing package's README). The same messages always
 * get the same answer. It models imitation, not a real LLM's quality.
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
  readonly supportsToolCalls: boolean;
  private calls = 0;

  constructor(private readonly options: OfflineLMOptions = {}) {
    this.model = options.model ?? 'offline';
    this.supportsStructuredOutputs = options.supportsStructuredOutputs ?? true;
    this.supportsToolCalls = options.supportsToolCalls ?? true;
  }

  /** Number of calls so far. */
  get callCount(): number {
    return this.calls;
  }

  async call(request: LMRequest): Promise<LMResponse> {
    return this.respond(request, this.answer(request));
  }

  /** Streams the first completion's text; the last chunk carries the whole response (with any tool calls). */
  async *stream(request: LMRequest): AsyncIterable<LMStreamChunk> {
    const answer = this.answer(request);
    yield* chunked(answer.texts[0] ?? '', Math.max(1, this.options.chunkChars ?? 8));
    yield { delta: '', response: this.respond(request, answer) };
  }

  /** Settings safe to store in an artifact. */
  settings(): Readonly<Record<string, unknown>> {
    return { model: this.model };
  }

  /** The completion texts for a request (pure: depends on messages, `n`, `rolloutId`, `responseFormat`, `tools`). */
  complete(request: LMRequest): string[] {
    return this.answer(request).texts;
  }

  private respond(request: LMRequest, answer: Answer): LMResponse {
    const response = makeResponse(this.model, request.messages, answer.texts);
    if (!answer.toolCalls) return response;
    return { ...response, toolCalls: answer.toolCalls, finishReason: 'tool_calls' };
  }

  private answer(request: LMRequest): Answer {
    this.calls++;
    const prompt = parsePrompt(request.messages, request);
    const n = wanted(request);
    const render = (o: Record<string, unknown>) =>
      renderOutputs(o, prompt.system.outputs, prompt.json, prompt.xml, prompt.prose);
    if (isMetaRequest(prompt))
      return { texts: Array.from({ length: n }, (_, i) => render(answerMeta(prompt, request.rolloutId, i))) };
    const sampled = request.rolloutId !== undefined && (request.temperature ?? 0) > 0;
    const outputs = answerTask(prompt, request.rolloutId, sampled);
    const agent = readAgentPrompt(request.messages, request, prompt);
    if (!agent) {
      const text = render(outputs);
      return { texts: Array.from({ length: n }, () => text) };
    }
    const chosen = answerAgent(agent, sampled ? String(request.rolloutId) : undefined);
    const next = agent.mode === 'native' ? fitToolChoice(chosen, request.toolChoice, agent) : chosen;
    const text = render(agentOutputs(agent, next, outputs));
    const texts = Array.from({ length: n }, () => text);
    if (agent.mode === 'text' || next.calls.length === 0) return { texts };
    const point = agent.steps.length + 1;
    const toolCalls = next.calls.map((c, i) => ({
      id: `offline_${point}_${i + 1}`,
      name: c.name,
      arguments: c.args,
    }));
    return { texts, toolCalls };
  }
}

/**
 * The outputs of an agent turn: the thought in the thought field, the calls in the `ToolCalls`
 * field (text mode only; native calls travel in the response), other outputs as for any task.
 */
function agentOutputs(
  agent: AgentPrompt,
  next: AgentAnswer,
  outputs: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...outputs };
  if (agent.thoughtField) out[agent.thoughtField] = next.thought;
  if (agent.mode === 'text' && agent.callsField) out[agent.callsField] = next.calls;
  return out;
}
