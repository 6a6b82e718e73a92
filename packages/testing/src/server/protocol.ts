import type {
  ChatMessage,
  ContentPart,
  FinishReason,
  JsonSchema,
  LMRequest,
  LMResponse,
  ResponseFormat,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from '@dspy-ts/core';
import { fromWireToolCalls, toWireToolCalls, type WireToolCall } from '@dspy-ts/core/internal';
import { fromWirePart, partView } from './content-parts.js';

/** Request header carrying a rollout id (the body field `rollout_id` works too). */
export const ROLLOUT_HEADER = 'x-rollout-id';

/** A 400 the server answers when a chat body cannot be turned into a request. */
export class BadRequest extends Error {}

const KNOWN_KEYS = new Set([
  'model',
  'messages',
  'temperature',
  'max_tokens',
  'max_completion_tokens',
  'n',
  'stop',
  'response_format',
  'stream',
  'stream_options',
  'rollout_id',
  'tools',
  'tool_choice',
]);

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (isObject(p) && typeof p.text === 'string' ? p.text : ''))
      .filter(Boolean)
      .join('\n');
  }
  return '';
}

/** A user message's content parts when it holds media (text parts joined as they are, media as their view). */
function mediaParts(content: unknown): ContentPart[] | undefined {
  if (!Array.isArray(content)) return undefined;
  const parts = content.map(fromWirePart).filter((p): p is ContentPart => p !== undefined);
  return parts.some((p) => p.type !== 'text') ? parts : undefined;
}

function toMessages(raw: unknown): ChatMessage[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new BadRequest('`messages` must be a non-empty array');
  return raw.map((m, i) => {
    if (!isObject(m)) throw new BadRequest(`messages[${i}] must be an object`);
    const role = m.role === 'developer' ? 'system' : m.role;
    const content = messageText(m.content);
    if (role === 'tool') {
      if (typeof m.tool_call_id !== 'string' || m.tool_call_id === '')
        throw new BadRequest(`messages[${i}] (role "tool") needs a \`tool_call_id\``);
      return { role, toolCallId: m.tool_call_id, content };
    }
    if (role === 'assistant' && m.tool_calls !== undefined && m.tool_calls !== null) {
      if (!Array.isArray(m.tool_calls)) throw new BadRequest(`messages[${i}].tool_calls must be an array`);
      const toolCalls = fromWireToolCalls(m.tool_calls as WireToolCall[]);
      return toolCalls ? { role, content, toolCalls } : { role, content };
    }
    if (role !== 'system' && role !== 'user' && role !== 'assistant') {
      throw new BadRequest(`messages[${i}].role "${String(m.role)}" is not supported`);
    }
    const parts = role === 'user' ? mediaParts(m.content) : undefined;
    if (parts) return { role, content: parts.map(partView).join(''), parts };
    return { role, content };
  });
}

function toResponseFormat(raw: unknown): ResponseFormat | undefined {
  if (!isObject(raw)) return undefined;
  if (raw.type === 'json_object' || raw.type === 'text') return { type: raw.type };
  if (raw.type === 'json_schema' && isObject(raw.json_schema)) {
    const js = raw.json_schema;
    return {
      type: 'json_schema',
      name: typeof js.name === 'string' ? js.name : 'response',
      schema: (isObject(js.schema) ? js.schema : {}) as JsonSchema,
      strict: js.strict === true,
    };
  }
  return undefined;
}

function toTools(raw: unknown): ToolDefinition[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw new BadRequest('`tools` must be an array');
  return raw.map((t, i) => {
    const fn = isObject(t) && t.type === 'function' && isObject(t.function) ? t.function : undefined;
    if (!fn || typeof fn.name !== 'string' || fn.name === '')
      throw new BadRequest(`tools[${i}] must be { type: "function", function: { name, ... } }`);
    return {
      name: fn.name,
      description: typeof fn.description === 'string' ? fn.description : '',
      parameters: (isObject(fn.parameters)
        ? fn.parameters
        : { type: 'object', properties: {} }) as JsonSchema,
    };
  });
}

function toToolChoice(raw: unknown, tools: readonly ToolDefinition[] | undefined): ToolChoice | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!tools) throw new BadRequest('`tool_choice` is only allowed when `tools` are given');
  if (raw === 'auto' || raw === 'required' || raw === 'none') return raw;
  const fn = isObject(raw) && raw.type === 'function' && isObject(raw.function) ? raw.function : undefined;
  const name = fn?.name;
  if (typeof name !== 'string')
    throw new BadRequest('`tool_choice` must be auto, required, none or a function');
  if (!tools.some((t) => t.name === name))
    throw new BadRequest(`\`tool_choice\` names "${name}", not a tool`);
  return { name };
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** The body's keys that `LMRequest` has no field for, or `undefined` when there are none. */
function extraKeys(body: Json): Json | undefined {
  let extra: Json | undefined;
  for (const k in body) {
    if (!KNOWN_KEYS.has(k)) {
      extra ??= {};
      extra[k] = body[k];
    }
  }
  return extra;
}

/** Turns an OpenAI chat-completions body into an `LMRequest`; unknown keys go to `extra`. */
export function toLMRequest(body: unknown, rolloutHeader?: string): LMRequest {
  if (!isObject(body)) throw new BadRequest('the body must be a JSON object');
  const stop =
    typeof body.stop === 'string'
      ? [body.stop]
      : Array.isArray(body.stop)
        ? body.stop.map(String)
        : undefined;
  const rollout = rolloutHeader ?? body.rollout_id;
  const extra = extraKeys(body);
  const req: {
    -readonly [K in keyof LMRequest]: LMRequest[K];
  } = { messages: toMessages(body.messages) };
  const temperature = num(body.temperature);
  if (temperature !== undefined) req.temperature = temperature;
  const maxTokens = num(body.max_completion_tokens) ?? num(body.max_tokens);
  if (maxTokens !== undefined) req.maxTokens = maxTokens;
  const n = num(body.n);
  if (n !== undefined) {
    if (!Number.isInteger(n) || n < 1 || n > 128) throw new BadRequest('`n` must be an integer in 1..128');
    req.n = n;
  }
  if (stop) req.stop = stop;
  const rf = toResponseFormat(body.response_format);
  if (rf) req.responseFormat = rf;
  const tools = toTools(body.tools);
  if (tools) req.tools = tools;
  const toolChoice = toToolChoice(body.tool_choice, tools);
  if (toolChoice) req.toolChoice = toolChoice;
  if (typeof rollout === 'string' || typeof rollout === 'number') req.rolloutId = rollout;
  if (extra) req.extra = extra;
  return req;
}

function finish(reason: FinishReason): string {
  return reason === 'error' || reason === 'unknown' ? 'stop' : reason;
}

/** The finish reason of choice `index`: `tool_calls` where the model called tools and gave no other reason. */
function finishOf(r: LMResponse, index: number): string {
  const called = index === 0 && (r.toolCalls?.length ?? 0) > 0;
  return called && (r.finishReason === 'stop' || r.finishReason === 'unknown')
    ? 'tool_calls'
    : finish(r.finishReason);
}

function usageJson(r: LMResponse): Json {
  const usage: Json = {
    prompt_tokens: r.usage.promptTokens,
    completion_tokens: r.usage.completionTokens,
    total_tokens: r.usage.totalTokens,
  };
  if (r.usage.reasoningTokens !== undefined)
    usage.completion_tokens_details = { reasoning_tokens: r.usage.reasoningTokens };
  return usage;
}

/**
 * The name of the message key that carries a reasoning model's own reasoning: `reasoning_content`
 * (DeepSeek, vLLM) or `reasoning` (OpenRouter, Ollama, Groq).
 */
export type ReasoningKey = 'reasoning_content' | 'reasoning';

/** Choice `index`'s own reasoning, if the model gave it one. */
function reasoningOf(r: LMResponse, index: number): string | undefined {
  const own = r.reasonings?.[index] ?? (index === 0 ? r.reasoning : undefined);
  return own ? own : undefined;
}

/** The OpenAI `chat.completion` object for a model response. */
export function completionJson(
  id: string,
  model: string,
  r: LMResponse,
  n: number,
  reasoningKey: ReasoningKey = 'reasoning_content',
): Json {
  const texts = choiceTexts(r, n);
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: texts.map((content, index) => {
      const calls = index === 0 && r.toolCalls && r.toolCalls.length > 0 ? r.toolCalls : undefined;
      const message = calls
        ? {
            role: 'assistant',
            content: content === '' ? null : content,
            refusal: null,
            tool_calls: toWireToolCalls(calls),
          }
        : { role: 'assistant', content, refusal: null };
      const thought = reasoningOf(r, index);
      if (thought !== undefined) (message as Json)[reasoningKey] = thought;
      return { index, message, logprobs: null, finish_reason: finishOf(r, index) };
    }),
    usage: usageJson(r),
    system_fingerprint: 'dspy-ts-test',
  };
}

/** Exactly `n` completion texts (the model's own, repeated from the first when it gave fewer). */
export function choiceTexts(r: LMResponse, n: number): string[] {
  const base = r.choices.length > 0 ? r.choices : [r.text];
  const texts: string[] = [];
  for (let i = 0; i < Math.max(n, 1); i++) texts.push(base[i] ?? base[0] ?? '');
  return texts;
}

/** The SSE `data:` payloads (JSON strings, then `[DONE]`) of a streamed answer. */
export function streamEvents(
  id: string,
  model: string,
  r: LMResponse,
  n: number,
  includeUsage: boolean,
  chunkChars: number,
  reasoningKey: ReasoningKey = 'reasoning_content',
): string[] {
  const created = Math.floor(Date.now() / 1000);
  // With include_usage, every chunk carries `usage: null` except the last, as OpenAI sends them.
  const base: Json = includeUsage ? { usage: null } : {};
  const chunk = (choices: unknown[], extra: Json = base): string =>
    JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...extra });
  const out: string[] = [];
  const texts = choiceTexts(r, n);
  texts.forEach((text, index) => {
    out.push(chunk([{ index, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
    const thought = reasoningOf(r, index) ?? '';
    for (let at = 0; at < thought.length; at += chunkChars) {
      const delta = { [reasoningKey]: thought.slice(at, at + chunkChars) };
      out.push(chunk([{ index, delta, finish_reason: null }]));
    }
    for (let at = 0; at < text.length; at += chunkChars) {
      out.push(chunk([{ index, delta: { content: text.slice(at, at + chunkChars) }, finish_reason: null }]));
    }
    if (index === 0 && r.toolCalls && r.toolCalls.length > 0) {
      for (const delta of toolCallDeltas(r.toolCalls, chunkChars)) {
        out.push(chunk([{ index, delta: { tool_calls: [delta] }, finish_reason: null }]));
      }
    }
    out.push(chunk([{ index, delta: {}, finish_reason: finishOf(r, index) }]));
  });
  if (includeUsage) out.push(chunk([], { usage: usageJson(r) }));
  out.push('[DONE]');
  return out;
}

/**
 * The streamed deltas of tool calls, as providers send them: each call's first delta carries its
 * `index`, `id`, `type`, `name` and first argument chunk; later deltas only `index` and the next
 * chunk. The calls' chunks interleave round-robin, so a client must assemble them by index.
 */
export function toolCallDeltas(calls: readonly ToolCall[], chunkChars: number): Json[] {
  const wire = toWireToolCalls(calls);
  const pieces = wire.map((c) => {
    const text = c.function.arguments;
    const out: string[] = [];
    for (let at = 0; at < text.length; at += chunkChars) out.push(text.slice(at, at + chunkChars));
    return out.length > 0 ? out : [''];
  });
  const deltas: Json[] = [];
  const longest = Math.max(...pieces.map((p) => p.length));
  for (let step = 0; step < longest; step++) {
    wire.forEach((c, index) => {
      const piece = pieces[index]?.[step];
      if (piece === undefined) return;
      deltas.push(
        step === 0
          ? { index, id: c.id, type: c.type, function: { name: c.function.name, arguments: piece } }
          : { index, function: { arguments: piece } },
      );
    });
  }
  return deltas;
}

/** An OpenAI-style error body. */
export function errorJson(message: string, type: string, code: string | null = null): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}
