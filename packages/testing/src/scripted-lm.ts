import {
  DspyError,
  type LanguageModel,
  type LMRequest,
  type LMResponse,
  type LMStreamChunk,
  type ToolCall,
} from '@dspy-ts/core';
import {
  chunked,
  makeResponse,
  type ParsedPrompt,
  parsePrompt,
  promptShape,
  renderOutputs,
  textToValue,
  wanted,
} from '@dspy-ts/core/internal';
import { keepLimit, pushNewest } from './keep-newest.js';
import {
  isToolCallAnswer,
  nativeCallsOf,
  type ScriptedToolCallAnswer,
  scriptedToolCalls,
} from './scripted-tool-calls.js';

/**
 * One scripted answer: an output object (rendered in the prompt's format), a raw completion
 * text, or tool calls (`{ toolCalls: [{ name, arguments }] }`, see {@link ScriptedToolCallAnswer}).
 */
export type ScriptedAnswer = Readonly<Record<string, unknown>> | string | ScriptedToolCallAnswer;

/**
 * What a {@link ScriptedLM} answers: a list served in order, a map from a substring of the last
 * user message to an answer (first matching key wins, in insertion order), or a function.
 */
export type ScriptedAnswers =
  | readonly ScriptedAnswer[]
  | ReadonlyMap<string, ScriptedAnswer>
  | Readonly<Record<string, ScriptedAnswer>>
  | ((request: LMRequest, index: number) => ScriptedAnswer);

/** Options of {@link ScriptedLM}. */
export interface ScriptedLMOptions {
  /** Name in logs and responses (default `scripted`). */
  readonly model?: string;
  /**
   * `auto` (default) renders like the prompt's adapter (`name: value` prose for a two-step
   * adapter's natural prompt); `chat`, `json` or `xml` force a format.
   */
  readonly format?: 'auto' | 'chat' | 'json' | 'xml';
  /** With `n > 1`: `repeat` (default) serves the same answer n times, `next` takes n answers. */
  readonly nMode?: 'repeat' | 'next';
  /** Answer from a demo in the prompt whose inputs equal the final inputs (without using the script). */
  readonly followExamples?: boolean;
  /** Characters per `stream()` chunk (default 4). */
  readonly chunkChars?: number;
  /** Whether adapters may send `responseFormat: json_schema` (default true). */
  readonly supportsStructuredOutputs?: boolean;
  /**
   * How many of the newest entries `requests` and `completions` each keep (default: all), for
   * long runs where keeping everything costs memory; `callCount` still counts every call.
   */
  readonly keepRequests?: number;
  /**
   * The model's own reasoning, as a reasoning model returns it apart from its answer
   * (`LMResponse.reasoning`; the test server sends it as `reasoning_content`): one text for every
   * call, or a function of the request and the call's 0-based index (`undefined`: none). Each
   * completion gets it, and `usage.reasoningTokens` counts it (characters / 4).
   */
  readonly reasoning?: string | ((request: LMRequest, index: number) => string | undefined);
}

/** `text` in pieces of `size` characters. */
function* reasoningChunks(text: string, size: number): Iterable<{ delta: string }> {
  for (let at = 0; at < text.length; at += size) yield { delta: text.slice(at, at + size) };
}

/**
 * A language model that answers from a script, rendering each answer as the prompt's adapter
 * expects (`[[ ## field ## ]]` blocks, or a JSON object), and recording every request.
 *
 * @example
 * ```ts
 * const lm = new ScriptedLM([{ answer: 'Paris' }, { answer: 'Rome' }]);
 * configure({ lm });
 * await qa.forward({ question: 'Capital of France?' }); // answer: 'Paris'
 * lm.requests.length; // 1
 * ```
 */
export class ScriptedLM implements LanguageModel {
  readonly model: string;
  readonly supportsStructuredOutputs: boolean;
  /** Always true: a script may answer with tool calls. */
  readonly supportsToolCalls = true;
  /** Every request received, in order (only the newest with `keepRequests`). */
  readonly requests: LMRequest[] = [];
  /** Every completion text served, in order (only the newest with `keepRequests`). */
  readonly completions: string[] = [];
  private readonly keep: number;
  private calls = 0;
  private next = 0;

  constructor(
    private readonly answers: ScriptedAnswers,
    private readonly options: ScriptedLMOptions = {},
  ) {
    this.model = options.model ?? 'scripted';
    this.supportsStructuredOutputs = options.supportsStructuredOutputs ?? true;
    this.keep = keepLimit(options.keepRequests, 'new ScriptedLM(answers, { keepRequests })', 'LM_CONFIG');
  }

  /** Number of calls so far (`call` and `stream`). */
  get callCount(): number {
    return this.calls;
  }

  /** How many list answers have been served. */
  get served(): number {
    return this.next;
  }

  async call(request: LMRequest): Promise<LMResponse> {
    const index = this.calls;
    const { texts, toolCalls } = this.respond(request);
    return this.response(request, texts, toolCalls, this.reasoningFor(request, index));
  }

  /**
   * Yields the reasoning (if any) and then the first completion's text in chunks; after tool
   * calls or with reasoning, a last chunk with the whole response.
   */
  async *stream(request: LMRequest): AsyncIterable<LMStreamChunk> {
    const index = this.calls;
    const { texts, toolCalls } = this.respond(request);
    const reasoning = this.reasoningFor(request, index);
    const size = Math.max(1, this.options.chunkChars ?? 4);
    for (const { delta } of reasoningChunks(reasoning ?? '', size)) yield { delta: '', reasoning: delta };
    yield* chunked(texts[0] ?? '', size);
    if (toolCalls || reasoning !== undefined)
      yield { delta: '', response: this.response(request, texts, toolCalls, reasoning) };
  }

  private reasoningFor(request: LMRequest, index: number): string | undefined {
    const r = this.options.reasoning;
    const text = typeof r === 'function' ? r(request, index) : r;
    return text === undefined || text === '' ? undefined : text;
  }

  private response(
    request: LMRequest,
    texts: string[],
    toolCalls: ToolCall[] | undefined,
    reasoning: string | undefined,
  ): LMResponse {
    let response = makeResponse(this.model, request.messages, texts);
    if (reasoning !== undefined) {
      const reasoningTokens = Math.ceil(reasoning.length / 4) * texts.length;
      const { usage } = response;
      response = {
        ...response,
        reasoning,
        reasonings: texts.map(() => reasoning),
        usage: {
          ...usage,
          completionTokens: usage.completionTokens + reasoningTokens,
          totalTokens: usage.totalTokens + reasoningTokens,
          reasoningTokens,
        },
      };
    }
    return toolCalls ? { ...response, toolCalls, finishReason: 'tool_calls' } : response;
  }

  /** Settings safe to store in an artifact. */
  settings(): Readonly<Record<string, unknown>> {
    return { model: this.model };
  }

  private respond(request: LMRequest): { texts: string[]; toolCalls?: ToolCall[] } {
    const index = this.calls++;
    pushNewest(this.requests, this.keep, request);
    // Rendering needs only the system message and format; following examples also reads the demos.
    const full = this.options.followExamples ? parsePrompt(request.messages, request) : undefined;
    const prompt = full ?? promptShape(request.messages, request);
    const n = wanted(request);
    const followed = full ? this.fromDemos(full) : undefined;
    const answers: ScriptedAnswer[] = [];
    for (let i = 0; i < n; i++) {
      if (followed) answers.push(followed);
      else if (i > 0 && this.options.nMode !== 'next') answers.push(answers[0]!);
      else answers.push(this.pick(request, index));
    }
    const format = this.options.format ?? 'auto';
    const json = format === 'json' || (format === 'auto' && prompt.json);
    const xml = format === 'xml' || (format === 'auto' && prompt.xml);
    const prose = format === 'auto' && !!prompt.prose;
    const outputs = prompt.system.outputs.map((f) => f.name);
    const hasTools = (request.tools?.length ?? 0) > 0;
    // An output object of a native tool-calling request may hold the calls under the ToolCalls
    // field the prompt leaves out: they become the response's native calls.
    const native = answers.map((a) =>
      hasTools && typeof a === 'object' && a !== null && !isToolCallAnswer(a, outputs, hasTools)
        ? nativeCallsOf(a as Readonly<Record<string, unknown>>, outputs)
        : undefined,
    );
    const texts = answers.map((a, i) => {
      if (typeof a === 'string') return a;
      if (isToolCallAnswer(a, outputs, hasTools)) return a.text ?? '';
      return renderOutputs(native[i]?.rest ?? a, prompt.system.outputs, json, xml, prose);
    });
    pushNewest(this.completions, this.keep, ...texts);
    const first = answers[0];
    if (isToolCallAnswer(first, outputs, hasTools)) {
      return { texts, toolCalls: scriptedToolCalls(first, index + 1) };
    }
    const calls = native[0]?.answer;
    return calls ? { texts, toolCalls: scriptedToolCalls(calls, index + 1) } : { texts };
  }

  private fromDemos(prompt: ParsedPrompt): ScriptedAnswer | undefined {
    const keys = Object.keys(prompt.inputs);
    if (keys.length === 0) return undefined;
    const demo = prompt.demos.find(
      (d) => Object.keys(d.outputs).length > 0 && keys.every((k) => d.inputs[k] === prompt.inputs[k]),
    );
    if (!demo) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(demo.outputs)) {
      out[k] = textToValue(
        v,
        prompt.system.outputs.find((f) => f.name === k),
      );
    }
    return out;
  }

  private pick(request: LMRequest, index: number): ScriptedAnswer {
    const a = this.answers;
    if (typeof a === 'function') return a(request, index);
    if (Array.isArray(a)) {
      const list = a as readonly ScriptedAnswer[];
      const answer = list[this.next];
      if (answer === undefined) {
        throw new DspyError('LM_CONFIG', `ScriptedLM ran out of answers: call ${index + 1} found none left`, {
          details: {
            where: `ScriptedLM(${this.model}) answer #${this.next + 1} of ${list.length}`,
            fix: `Give at least ${this.next + 1} answers, or answer with a function or a map.`,
            served: this.next,
          },
        });
      }
      this.next++;
      return answer;
    }
    const last = [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const entries: [string, ScriptedAnswer][] =
      a instanceof Map ? [...a.entries()] : Object.entries(a as Record<string, ScriptedAnswer>);
    const hit = entries.find(([key]) => last.includes(key));
    if (hit) return hit[1];
    throw new DspyError('LM_CONFIG', 'ScriptedLM has no answer whose key occurs in the last user message', {
      details: {
        where: `ScriptedLM(${this.model}) call ${index + 1}`,
        fix: `Add a key that occurs in the message; keys: ${entries.map(([k]) => JSON.stringify(k)).join(', ')}.`,
        lastUserMessage: last.slice(0, 500),
      },
    });
  }
}
