import type {
  ChatMessage,
  FinishReason,
  JsonSchema,
  LMRequest,
  LMResponse,
  ResponseFormat,
} from '@dspy-ts/core';

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

function toMessages(raw: unknown): ChatMessage[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new BadRequest('`messages` must be a non-empty array');
  return raw.map((m, i) => {
    if (!isObject(m)) throw new BadRequest(`messages[${i}] must be an object`);
    const role = m.role === 'developer' ? 'system' : m.role;
    if (role !== 'system' && role !== 'user' && role !== 'assistant') {
      throw new BadRequest(`messages[${i}].role "${String(m.role)}" is not supported`);
    }
    return { role, content: messageText(m.content) };
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
  if (typeof rollout === 'string' || typeof rollout === 'number') req.rolloutId = rollout;
  if (extra) req.extra = extra;
  return req;
}

function finish(reason: FinishReason): string {
  return reason === 'error' || reason === 'unknown' ? 'stop' : reason;
}

function usageJson(r: LMResponse): Json {
  return {
    prompt_tokens: r.usage.promptTokens,
    completion_tokens: r.usage.completionTokens,
    total_tokens: r.usage.totalTokens,
  };
}

/** The OpenAI `chat.completion` object for a model response. */
export function completionJson(id: string, model: string, r: LMResponse, n: number): Json {
  const texts = choiceTexts(r, n);
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: texts.map((content, index) => ({
      index,
      message: { role: 'assistant', content, refusal: null },
      logprobs: null,
      finish_reason: finish(r.finishReason),
    })),
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
    for (let at = 0; at < text.length; at += chunkChars) {
      out.push(chunk([{ index, delta: { content: text.slice(at, at + chunkChars) }, finish_reason: null }]));
    }
    out.push(chunk([{ index, delta: {}, finish_reason: finish(r.finishReason) }]));
  });
  if (includeUsage) out.push(chunk([], { usage: usageJson(r) }));
  out.push('[DONE]');
  return out;
}

/** An OpenAI-style error body. */
export function errorJson(message: string, type: string, code: string | null = null): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}
