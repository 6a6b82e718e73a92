import { DspyError } from '../errors.js';
import type { Tool } from './types.js';

/** One call of a tool, as a `ToolCalls` output holds it. */
export interface ToolCallItem {
  /** The call's id (native calls carry the provider's; text calls get one when they run). */
  readonly id?: string;
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
}

/** What one call of {@link ToolCalls.execute} gave: the value, or the error as text. */
export interface ToolResult {
  /** The id of the call this answers. */
  readonly id: string;
  readonly name: string;
  /** False when the tool is unknown, its arguments are invalid, it threw or it timed out. */
  readonly ok: boolean;
  /** What the model reads: the value as text, or `Error: ...`. */
  readonly content: string;
  /** The tool's return value (only when `ok`). */
  readonly value?: unknown;
  /** Why the call failed (only when not `ok`). */
  readonly error?: string;
}

/** Options of {@link ToolCalls.execute}. */
export interface ExecuteToolsOptions {
  /** Most calls running at once (default 4). Calls of one turn are independent. */
  readonly concurrency?: number;
  /** Time each call may take, in ms (default 30 000); a slower call becomes an error result. */
  readonly timeoutMs?: number;
  /** Aborts calls that have not finished (they become error results). */
  readonly signal?: AbortSignal;
  /** Called as each call starts, with its id (for progress and streaming; must not throw). */
  readonly onCallStart?: (call: Readonly<ToolCallItem & { id: string }>) => void;
  /** Called as each call ends, with its result, failed or not (must not throw). */
  readonly onResult?: (result: ToolResult) => void;
}

const BRAND = Symbol.for('dspy-ts.ToolCalls');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads one call from `{ name, args }`, `{ name, arguments }` or `{ function: { name, arguments } }`. */
function readItem(value: unknown, index: number): ToolCallItem | string {
  if (!isRecord(value)) return `call ${index} is not an object`;
  const fn = isRecord(value.function) ? value.function : value;
  const name = fn.name;
  if (typeof name !== 'string' || name === '') return `call ${index} has no 'name'`;
  let args: unknown = fn.args ?? fn.arguments ?? {};
  if (typeof args === 'string') {
    try {
      args = args.trim() === '' ? {} : JSON.parse(args);
    } catch {
      return `the arguments of call ${index} ('${name}') are not valid JSON`;
    }
  }
  if (!isRecord(args)) return `the arguments of call ${index} ('${name}') are not an object`;
  const id = typeof value.id === 'string' && value.id !== '' ? value.id : undefined;
  return id === undefined ? { name, args } : { id, name, args };
}

/**
 * Reads tool calls from what a model or an artifact gives: a `ToolCalls`, `{ calls: [...] }`,
 * `{ tool_calls: [...] }`, a list of calls, or one call. Each call is `{ name, args }` (also
 * `arguments`, as an object or JSON text, and an optional `id`).
 */
export function readToolCalls(
  value: unknown,
): { ok: true; value: ToolCalls } | { ok: false; reason: string } {
  if (ToolCalls.isToolCalls(value)) return { ok: true, value };
  let list: unknown = value;
  if (isRecord(value)) {
    if (Array.isArray(value.calls)) list = value.calls;
    else if (Array.isArray(value.tool_calls)) list = value.tool_calls;
    else if (Array.isArray(value.toolCalls)) list = value.toolCalls;
    else list = [value];
  }
  const items = readItems(list);
  if (typeof items === 'string') return { ok: false, reason: items };
  return { ok: true, value: new ToolCalls(items) };
}

/** The calls of a list, or why it is not one. */
function readItems(list: unknown): ToolCallItem[] | string {
  if (!Array.isArray(list)) return 'expected a list of tool calls ({ name, args })';
  const calls: ToolCallItem[] = [];
  for (const [i, item] of list.entries()) {
    const read = readItem(item, i);
    if (typeof read === 'string') return read;
    calls.push(read);
  }
  return calls;
}

/**
 * The tool calls a model made in one turn, as a signature's output field (`calls: ToolCalls`).
 * With native tool calls the adapter fills it from the response's `tool_calls`; in text mode it
 * is parsed from a JSON list of `{ name, args }`. `execute(tools)` runs them.
 *
 * @example
 * ```ts
 * const pick = new Predict('question: string, tools: Tool[] -> calls: ToolCalls');
 * const { calls } = await pick.forward({ question: 'Weather in Paris?', tools: [weatherTool] });
 * const results = await calls.execute([weatherTool]); // [{ id, name: 'weather', ok: true, content: 'sunny' }]
 * ```
 */
export class ToolCalls {
  /** The calls, in the order the model made them (frozen). */
  readonly calls: readonly ToolCallItem[];

  constructor(calls: readonly ToolCallItem[] | { readonly calls: readonly ToolCallItem[] } = []) {
    const list = Array.isArray(calls) ? calls : (calls as { calls?: unknown } | null)?.calls;
    const items = readItems(list ?? []);
    if (typeof items === 'string') {
      throw new DspyError('INPUT_INVALID', `new ToolCalls(...): ${items}.`, {
        details: {
          where: 'new ToolCalls(...)',
          fix: "Give a list of calls, each { name: 'search', args: { query: '...' } }.",
        },
      });
    }
    this.calls = Object.freeze(items.map((c) => Object.freeze({ ...c, args: Object.freeze({ ...c.args }) })));
    Object.freeze(this);
  }

  /** How many calls there are. */
  get length(): number {
    return this.calls.length;
  }

  /** The same calls, each with an id: its own, else `${prefix}${index}`. */
  withIds(prefix = 'call_'): ToolCalls {
    return new ToolCalls(this.calls.map((c, i) => ({ ...c, id: c.id ?? `${prefix}${i}` })));
  }

  /**
   * Runs every call through the tool of its name, at most `concurrency` at once, each within
   * `timeoutMs`. Never throws for a tool's failure: an unknown tool, invalid arguments, an error
   * or a timeout is a result with `ok: false` and `content: 'Error: ...'`, in call order.
   */
  async execute(tools: readonly Tool[], options: ExecuteToolsOptions = {}): Promise<ToolResult[]> {
    // The running of tools loads with the first execute: an app that never runs one leaves it out.
    const { executeCalls } = await import('./execute.js');
    return executeCalls(this.withIds().calls as readonly (ToolCallItem & { id: string })[], tools, options);
  }

  /** `{ calls }`: plain data for demos, artifacts and cache keys. */
  toJSON(): { calls: ToolCallItem[] } {
    return { calls: this.calls.map((c) => ({ ...c })) };
  }

  /** True for a `ToolCalls`, whichever copy of the package made it. */
  static isToolCalls(value: unknown): value is ToolCalls {
    return value instanceof ToolCalls || (value as { [BRAND]?: unknown } | null)?.[BRAND] === true;
  }

  /** Reads tool calls from plain data (see {@link readToolCalls}); throws `INPUT_INVALID` when it cannot. */
  static from(value: unknown): ToolCalls {
    const read = readToolCalls(value);
    if (read.ok) return read.value;
    throw new DspyError('INPUT_INVALID', `ToolCalls.from(...): ${read.reason}.`, {
      details: { where: 'ToolCalls.from(...)', fix: 'Give a list of calls, each { name, args }.' },
    });
  }
}

Object.defineProperty(ToolCalls.prototype, BRAND, { value: true });
