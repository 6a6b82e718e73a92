/**
 * The running of tool calls ({@link ToolCalls.execute}), loaded with the first execute.
 * @internal
 */
import { DspyError } from '../errors.js';
import { tracedTool } from '../telemetry/index.js';
import { errorText, observationText } from './observation.js';
import type { ExecuteToolsOptions, ToolCallItem, ToolResult } from './tool-calls.js';
import type { Tool } from './types.js';

function timeoutError(name: string, ms: number): DspyError {
  return new DspyError('TOOL_ERROR', `tool '${name}' did not finish within ${ms} ms.`, {
    details: { where: `tool '${name}'`, fix: 'Raise the timeout (toolTimeoutMs) or make the tool faster.' },
  });
}

/** Runs `call` with a deadline and the caller's signal; settles with the value or the error. */
async function runOne(
  tool: Tool,
  item: ToolCallItem,
  timeoutMs: number,
  outer: AbortSignal | undefined,
): Promise<unknown> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = timeoutError(tool.name, timeoutMs);
      controller.abort(err);
      reject(err);
    }, timeoutMs);
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  try {
    if (outer?.aborted) throw outer.reason ?? new Error('aborted');
    const options = { signal: controller.signal, toolCallId: item.id };
    return await Promise.race([tool.call(item.args, options), deadline]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onAbort);
  }
}

/**
 * Runs every call through the tool of its name, at most `concurrency` at once, each within
 * `timeoutMs`; failures are results with `ok: false`, in call order (see `ToolCalls.execute`).
 * @internal
 */
export async function executeCalls(
  calls: readonly (ToolCallItem & { id: string })[],
  tools: readonly Tool[],
  options: ExecuteToolsOptions,
): Promise<ToolResult[]> {
  const { concurrency = 4 } = options;
  const byName = new Map(tools.map((t) => [t.name, t]));
  const results: ToolResult[] = new Array(calls.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < calls.length; i = next++) {
      const item = calls[i] as ToolCallItem & { id: string };
      options.onCallStart?.(item);
      const result = await runCall(byName, item, options);
      results[i] = result;
      options.onResult?.(result);
    }
  };
  const width = Math.max(1, Math.min(Math.floor(concurrency) || 1, calls.length));
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

async function runCall(
  byName: ReadonlyMap<string, Tool>,
  item: ToolCallItem & { id: string },
  options: ExecuteToolsOptions,
): Promise<ToolResult> {
  const { id, name } = item;
  const { timeoutMs = 30_000, signal } = options;
  const tool = byName.get(name);
  if (!tool) {
    const error = `there is no tool named '${name}'; use one of: ${[...byName.keys()].join(', ') || '(none)'}.`;
    return { id, name, ok: false, content: `Error: ${error}`, error };
  }
  try {
    const value = await tracedTool(name, id, item.args, () => runOne(tool, item, timeoutMs, signal));
    return { id, name, ok: true, content: observationText(value), value };
  } catch (err) {
    const error = errorText(err);
    return { id, name, ok: false, content: `Error: ${error}`, error };
  }
}
