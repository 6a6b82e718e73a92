import type { JsonSchema } from '../signature/spec.js';

/**
 * One piece of a user message sent to the model: text, or media as the OpenAI chat API takes
 * it. Media parts carry the SHA-256 of their bytes (when known) for cache keys.
 */
export type ContentPart =
  | { readonly type: 'text'; readonly text: string }
  | {
      readonly type: 'image_url';
      /** An https URL, or a `data:` URL of the bytes. */
      readonly url: string;
      readonly detail?: 'auto' | 'low' | 'high';
      readonly sha256?: string;
    }
  | {
      readonly type: 'input_audio' /** Base64 of the bytes. */;
      readonly data: string;
      readonly format: 'wav' | 'mp3';
      readonly sha256?: string;
    }
  | {
      readonly type: 'file';
      /** `file_data` is a `data:` URL of the bytes. */
      readonly file: { readonly filename: string; readonly file_data: string };
      readonly sha256?: string;
    };

/** A system or user message. */
export interface TextMessage {
  readonly role: 'system' | 'user';
  /** The text; where the message holds media, its text view (`<image: sha256:…, 1024×768 png, 182 kB>`). */
  readonly content: string;
  /**
   * The message as content parts, when it holds media (`Image`, `Audio`, `File` inputs): the
   * text around the media in field order. The model gets these; history and logs keep `content`.
   */
  readonly parts?: readonly ContentPart[];
}

/** A model's turn: its text, and the tools it called (sent back so it sees its own calls). */
export interface AssistantMessage {
  readonly role: 'assistant';
  /** The text of the turn (`''` when the model only called tools). */
  readonly content: string;
  readonly toolCalls?: readonly ToolCall[];
}

/** The result of one tool call, answering the call whose `id` is `toolCallId`. */
export interface ToolMessage {
  readonly role: 'tool';
  readonly toolCallId: string;
  readonly content: string;
}

/** One chat message. */
export type ChatMessage = TextMessage | AssistantMessage | ToolMessage;

/** A function the model may call, as sent to it: see `toolDefinition(tool)` to make one of a `Tool`. */
export interface ToolDefinition {
  readonly name: string;
  readonly description: string;
  /** An object JSON Schema over the arguments. */
  readonly parameters: JsonSchema;
}

/**
 * Whether and which tool the model must call: `auto` (it decides; the default), `required`
 * (at least one), `none` (no tool), or `{ name }` (that tool).
 */
export type ToolChoice = 'auto' | 'required' | 'none' | { readonly name: string };

/** One tool call the model made. */
export interface ToolCall {
  /** The call's id; a tool message answers it with `toolCallId`. */
  readonly id: string;
  readonly name: string;
  /** The arguments, parsed (`{}` when `rawArguments` is set). */
  readonly arguments: Readonly<Record<string, unknown>>;
  /** The arguments text as the model sent it, kept only when it is not a JSON object. */
  readonly rawArguments?: string;
  /** Why `rawArguments` could not be read (set exactly when `rawArguments` is). */
  readonly argumentsError?: string;
}

/** How the model should shape its answer. */
export type ResponseFormat =
  | { readonly type: 'text' }
  | { readonly type: 'json_object' }
  | {
      readonly type: 'json_schema';
      readonly name: string;
      readonly schema: JsonSchema;
      readonly strict: boolean;
    };

/** Token counts of one call (zero for cache hits). */
export interface Usage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
  /**
   * The completion tokens a reasoning model spent thinking (part of `completionTokens`), when the
   * provider reports them (`completion_tokens_details.reasoning_tokens`).
   */
  readonly reasoningTokens?: number;
}

/** One request to a language model. */
export interface LMRequest {
  readonly messages: readonly ChatMessage[];
  readonly temperature?: number;
  readonly maxTokens?: number;
  /** Number of completions wanted (default 1). */
  readonly n?: number;
  readonly stop?: readonly string[];
  readonly responseFormat?: ResponseFormat;
  /** Functions the model may call (see `toolDefinition`); its calls come back in `LMResponse.toolCalls`. */
  readonly tools?: readonly ToolDefinition[];
  /** Whether and which tool the model must call (only with `tools`). */
  readonly toolChoice?: ToolChoice;
  /** Distinct ids give distinct samples of the same request on purpose (and distinct cache keys). */
  readonly rolloutId?: string | number;
  /** `false` skips the cache for this call (read and write). */
  readonly cache?: boolean;
  /** Provider-specific parameters passed through as they are. */
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly signal?: AbortSignal;
}

/** Why the model stopped. */
export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'error' | 'unknown';

/** What a language model answered. */
export interface LMResponse {
  /** The first completion's text (same as `choices[0]`). */
  readonly text: string;
  /** Every completion's text (length `n`). */
  readonly choices: readonly string[];
  readonly usage: Usage;
  readonly model: string;
  readonly finishReason: FinishReason;
  /** The tools the first completion called, in order; absent when it called none. */
  readonly toolCalls?: readonly ToolCall[];
  /** True when the answer came from the cache. */
  readonly cacheHit: boolean;
  /** Cost in US dollars, when the price of the model is known (0 for cache hits). */
  readonly cost?: number;
  /** HTTP requests made for this answer (1 + retries; 0 for cache hits), when the backend counts them. */
  readonly attempts?: number;
  /**
   * The first completion's own reasoning, when a reasoning model returned it apart from its
   * answer (OpenAI-compatible `reasoning_content`, or `reasoning` as some providers name it).
   * A `Reasoning` output field takes it.
   */
  readonly reasoning?: string;
  /** Every completion's own reasoning (`''` where one has none), when any completion has some. */
  readonly reasonings?: readonly string[];
}

/** One chunk of a streamed answer. */
export interface LMStreamChunk {
  /** Text added since the previous chunk (first completion only). */
  readonly delta: string;
  /**
   * Reasoning added since the previous chunk (first completion only), when a reasoning model
   * streams its own reasoning (`reasoning_content` deltas); such chunks have an empty `delta`.
   */
  readonly reasoning?: string;
  /** On the last chunk only: the whole response (text, tool calls, usage, finish reason). `streamLM` always sets it. */
  readonly response?: LMResponse;
}

/**
 * What dspy-ts needs of a model. `LM` implements it over the `openai` package; implement it
 * to plug in any other backend.
 *
 * @example
 * ```ts
 * const echo: LanguageModel = {
 *   model: 'echo',
 *   async call(req) { const text = req.messages.at(-1)?.content ?? ''; return { text, choices: [text],
 *     usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 }, model: 'echo', finishReason: 'stop', cacheHit: false }; },
 * };
 * ```
 */
export interface LanguageModel {
  /** A name for logs, history and artifacts (`openai/gpt-4o-mini`). */
  readonly model: string;
  call(request: LMRequest): Promise<LMResponse>;
  /** Optional streaming; when absent, callers fall back to `call` and yield the whole text. */
  stream?(request: LMRequest): AsyncIterable<LMStreamChunk>;
  /**
   * True when the cache would answer `request` (nothing is called). A budget lets such a call
   * through even when it is spent, since it costs nothing.
   */
  cached?(request: LMRequest): Promise<boolean>;
  /** True when the backend honours `responseFormat: json_schema`. */
  readonly supportsStructuredOutputs?: boolean;
  /** True when the backend takes `tools` and answers with `toolCalls` (absent: it does not). */
  readonly supportsToolCalls?: boolean;
  /** Settings safe to store in an artifact (never secrets). */
  settings?(): Readonly<Record<string, unknown>>;
  /**
   * Checks, without calling the model, that calls can succeed (a key, an endpoint); throws
   * `LM_AUTH` or `LM_CONFIG` with the fix. Called once before runs (`evaluate`).
   */
  preflight?(): void | Promise<void>;
}

/** A zero usage record. */
export const ZERO_USAGE: Usage = Object.freeze({ promptTokens: 0, completionTokens: 0, totalTokens: 0 });

/** Adds two usage records (`reasoningTokens` when either reports them). */
export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
  if (a.reasoningTokens === undefined && b.reasoningTokens === undefined) return sum;
  return { ...sum, reasoningTokens: (a.reasoningTokens ?? 0) + (b.reasoningTokens ?? 0) };
}

/**
 * The reasoning fields of a response from each completion's own reasoning: `reasoning` and
 * `reasonings`, or nothing when no completion has any.
 */
export function reasoningFields(
  perChoice: readonly (string | undefined)[],
): Pick<LMResponse, 'reasoning' | 'reasonings'> {
  if (!perChoice.some((r) => r !== undefined && r !== '')) return {};
  const reasonings = perChoice.map((r) => r ?? '');
  return { reasoning: reasonings[0] ?? '', reasonings };
}
