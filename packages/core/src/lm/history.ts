import { colorsWanted, paint as colours, type Paint } from '../utils/colors.js';
import { copyToolCalls } from './cache/types.js';
import type { ChatMessage, LMResponse, ToolCall, Usage } from './types.js';

/** One LM call as kept in the history. */
export interface HistoryEntry {
  /** `provider/model`. */
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  /** Every completion's text. */
  readonly choices: readonly string[];
  /** The tools the first completion called, when it called any. */
  readonly toolCalls?: readonly ToolCall[];
  /** Every completion's own reasoning (a reasoning model's `reasoning_content`), when any has some. */
  readonly reasonings?: readonly string[];
  readonly usage: Usage;
  readonly cost?: number;
  readonly cacheHit: boolean;
  /** ISO time the call started. */
  readonly timestamp: string;
  readonly durationMs: number;
}

let limit = 100;
/** What is kept per call; the timestamp is formatted when the history is read. */
type Recorded = Omit<HistoryEntry, 'timestamp'> & { readonly startedAt: number };
let entries: Recorded[] = [];

function copyMessage(m: ChatMessage): ChatMessage {
  if (m.role === 'tool') return { role: 'tool', toolCallId: m.toolCallId, content: m.content };
  if (m.role === 'assistant' && m.toolCalls)
    return { role: 'assistant', content: m.content, toolCalls: copyToolCalls(m.toolCalls) };
  return { role: m.role, content: m.content };
}

/** Appends one call (done by `callLM`); keeps the last `limit` calls. */
export function recordHistory(
  model: string,
  messages: readonly ChatMessage[],
  response: LMResponse,
  started: number,
): void {
  if (limit === 0) return;
  entries.push({
    model,
    messages: messages.map(copyMessage),
    choices: [...response.choices],
    ...(response.toolCalls ? { toolCalls: copyToolCalls(response.toolCalls) } : {}),
    ...(response.reasonings
      ? { reasonings: [...response.reasonings] }
      : response.reasoning
        ? { reasonings: [response.reasoning] }
        : {}),
    usage: response.usage,
    cost: response.cost,
    cacheHit: response.cacheHit,
    startedAt: started,
    durationMs: Date.now() - started,
  });
  if (entries.length > limit * 2) entries = entries.slice(-limit);
}

/** The last `n` calls, oldest first (copies). */
export function getHistory(n = limit): readonly HistoryEntry[] {
  const count = Math.max(0, Math.min(Math.floor(n), limit));
  if (count === 0) return [];
  return entries.slice(-count).map(({ startedAt, ...e }) => ({
    ...e,
    timestamp: new Date(startedAt).toISOString(),
  }));
}

/** Sets how many calls are kept (default 100); `0` keeps none. */
export function setHistoryLimit(n: number): void {
  limit = Math.max(0, Math.floor(n));
  entries = limit === 0 ? [] : entries.slice(-limit);
}

/** Forgets every recorded call. */
export function clearHistory(): void {
  entries = [];
}

/** Options of {@link inspectHistory}. */
export interface InspectOptions {
  /** Where to print; default `process.stdout.write`, `false` prints nothing. */
  readonly write?: ((text: string) => void) | false;
  /** ANSI colours; default: when printing to stdout and colours are wanted there (a terminal, `NO_COLOR` unset). */
  readonly color?: boolean;
}

/** One line per call: `Tool call call_1: search({"q":"paris"})`. */
function renderCalls(calls: readonly ToolCall[]): string[] {
  return calls.map((c) => {
    const args = c.rawArguments ?? JSON.stringify(c.arguments);
    const bad = c.argumentsError ? `  [arguments ${c.argumentsError}]` : '';
    return `Tool call ${c.id}: ${c.name}(${args})${bad}`;
  });
}

function renderEntry(e: HistoryEntry, paint: Paint): string {
  const cost = e.cost === undefined ? '' : `, $${e.cost.toFixed(6)}`;
  const cached = e.cacheHit ? ', cache hit' : '';
  const thinking = e.usage.reasoningTokens === undefined ? '' : ` (${e.usage.reasoningTokens} reasoning)`;
  const head = `[${e.timestamp}] ${e.model} (${e.durationMs} ms, ${e.usage.promptTokens} prompt + ${e.usage.completionTokens} completion tokens${thinking}${cost}${cached})`;
  const lines = [paint.bold(head), ''];
  for (const m of e.messages) {
    const of = m.role === 'tool' ? ` (result of ${m.toolCallId})` : '';
    const label = `${m.role[0]?.toUpperCase()}${m.role.slice(1)} message${of}:`;
    lines.push(paint.cyan(label), '');
    if (m.content !== '' || m.role !== 'assistant' || !m.toolCalls) lines.push(m.content, '');
    if (m.role === 'assistant' && m.toolCalls) lines.push(...renderCalls(m.toolCalls), '');
  }
  e.choices.forEach((c, i) => {
    const of = e.choices.length > 1 ? ` ${i + 1} of ${e.choices.length}` : '';
    const thought = e.reasonings?.[i];
    if (thought) lines.push(paint.green(`Reasoning${of} (the model's own):`), '', paint.green(thought), '');
    const label = `Response${of}:`;
    lines.push(paint.green(label), '');
    if (c !== '' || i > 0 || !e.toolCalls) lines.push(paint.green(c), '');
    if (i === 0 && e.toolCalls) lines.push(...renderCalls(e.toolCalls).map(paint.green), '');
  });
  return lines.join('\n');
}

/**
 * Prints the exact messages and completions of the last `n` LM calls and returns the text.
 *
 * @example
 * ```ts
 * await qa.forward({ question: 'Why is the sky blue?' });
 * inspectHistory(1);
 * ```
 */
export function inspectHistory(n = 1, options: InspectOptions = {}): string {
  const color = options.color ?? (options.write === undefined && colorsWanted(process.stdout));
  const paint = colours(color);
  const text = `${getHistory(n)
    .map((e) => renderEntry(e, paint))
    .join(`\n${'-'.repeat(60)}\n\n`)}\n`;
  const write = options.write ?? ((s: string) => process.stdout.write(s));
  if (write) write(text);
  return text;
}
