import { ChatAdapter } from '../../adapters/chat-adapter.js';
import type { NativeToolCalls } from '../../adapters/tool-values.js';
import type { Adapter } from '../../adapters/types.js';
import { DspyError } from '../../errors.js';
import type { LanguageModel } from '../../lm/types.js';
import { checkKnownKeys } from '../../utils/known-keys.js';
import { isTool, type Tool } from './tool.js';
import { FINISH_TOOL } from './trajectory.js';

/** Options of `new ReAct(signature, options)`. */
export interface ReActOptions {
  /** The tools the agent may call (from `tool(fn)`, `toolsOf(instance)` or any `Tool`). */
  readonly tools: readonly Tool[];
  /** Most turns before the outputs are extracted anyway (default 20). */
  readonly maxIters?: number;
  /**
   * `true`: the model calls tools through the provider's function calling; `false`: it writes
   * them as a text field; `'auto'` (default): native where the LM supports it.
   */
  readonly nativeToolCalls?: boolean | 'auto';
  /** Most calls of one turn running at once (default 4). */
  readonly maxParallelTools?: number;
  /** Time each tool call may take, in ms (default 30 000); a slower call becomes an error observation. */
  readonly toolTimeoutMs?: number;
  /** Most times the oldest step is dropped when the prompt overflows the context window (default 3). */
  readonly maxTruncations?: number;
  /** The LM of both predictors (else the settings' LM). */
  readonly lm?: LanguageModel;
  /** The adapter of both predictors (else the settings' adapter). */
  readonly adapter?: Adapter;
}

/** {@link ReActOptions} with defaults applied. @internal */
export interface ReActSettings {
  readonly tools: readonly Tool[];
  readonly maxIters: number;
  readonly nativeToolCalls: boolean | 'auto' | undefined;
  readonly maxParallelTools: number;
  readonly toolTimeoutMs: number;
  readonly maxTruncations: number;
  readonly lm: LanguageModel | undefined;
  readonly adapter: Adapter | undefined;
}

const KNOWN: readonly (keyof ReActOptions)[] = [
  'tools',
  'maxIters',
  'nativeToolCalls',
  'maxParallelTools',
  'toolTimeoutMs',
  'maxTruncations',
  'lm',
  'adapter',
];

/** A `MODULE_INVALID` error of the ReAct constructor. @internal */
export function invalid(message: string, fix: string): DspyError {
  return new DspyError('MODULE_INVALID', `ReAct: ${message}`, { details: { where: 'new ReAct(...)', fix } });
}

function checkTools(tools: unknown): readonly Tool[] {
  if (!Array.isArray(tools))
    throw invalid('`tools` must be an array of tools.', 'Pass { tools: [tool(fn)] }.');
  const seen = new Set<string>();
  for (const t of tools) {
    if (!isTool(t))
      throw invalid(
        'every tool must be made with tool(fn) or toolsOf(instance), or have name, parameters and call.',
        'Wrap functions with tool().',
      );
    if (t.name === FINISH_TOOL)
      throw invalid(`'${FINISH_TOOL}' is reserved for ending the run.`, 'Give the tool another name.');
    if (seen.has(t.name))
      throw invalid(`two tools are named '${t.name}'.`, 'Give every tool a distinct name.');
    seen.add(t.name);
  }
  return tools as readonly Tool[];
}

function whole(name: string, value: number, min: number, example: string): number {
  if (!Number.isInteger(value) || value < min) {
    const kind = min > 0 ? 'a positive whole number' : 'a whole number';
    throw invalid(`${name} must be ${kind}, got ${String(value)}.`, `Pass { ${name}: ${example} }.`);
  }
  return value;
}

/** Checks the options of `new ReAct(...)` and applies the defaults. @internal */
export function readOptions(opts: ReActOptions | undefined): ReActSettings {
  if (typeof opts !== 'object' || opts === null)
    throw invalid('options with `tools` are required.', 'Pass new ReAct(signature, { tools: [tool(fn)] }).');
  checkKnownKeys('new ReAct(...)', opts, KNOWN, 'MODULE_INVALID');
  const native = opts.nativeToolCalls;
  if (native !== undefined && typeof native !== 'boolean' && native !== 'auto')
    throw invalid(
      `nativeToolCalls must be true, false or 'auto', got ${JSON.stringify(native)}.`,
      "Pass { nativeToolCalls: 'auto' }.",
    );
  return {
    tools: checkTools(opts.tools),
    maxIters: whole('maxIters', opts.maxIters ?? 20, 1, '20'),
    nativeToolCalls: native,
    maxParallelTools: whole('maxParallelTools', opts.maxParallelTools ?? 4, 1, '4'),
    toolTimeoutMs: whole('toolTimeoutMs', opts.toolTimeoutMs ?? 30_000, 1, '30000'),
    maxTruncations: whole('maxTruncations', opts.maxTruncations ?? 3, 0, '3'),
    lm: opts.lm,
    adapter: opts.adapter,
  };
}

/**
 * The adapter of the `react` predictor: the given one (refused when it was built with another
 * `nativeToolCalls` than the one asked for), a `ChatAdapter` with the asked-for setting, or none
 * (the settings' adapter then applies, `'auto'` by default). @internal
 */
export function reactAdapter(settings: ReActSettings): Adapter | undefined {
  const { adapter, nativeToolCalls: asked } = settings;
  if (asked === undefined) return adapter;
  if (!adapter) return new ChatAdapter({ nativeToolCalls: asked });
  const own = (adapter as { nativeToolCalls?: NativeToolCalls }).nativeToolCalls;
  if (own === asked) return adapter;
  const has =
    own === undefined
      ? 'does not say how it sends tool calls'
      : `was built with nativeToolCalls: ${JSON.stringify(own)}`;
  throw invalid(
    `nativeToolCalls: ${JSON.stringify(asked)} was asked for, but the adapter ${adapter.name} ${has}.`,
    `Build the adapter with the setting (new ${adapter.name}({ nativeToolCalls: ${JSON.stringify(asked)} })) and leave nativeToolCalls out of the ReAct options, or pass one of them only.`,
  );
}
