import type { LanguageModel, ToolCall, ToolDefinition } from '../lm/types.js';
import { toolDefinition } from '../modules/react/tool-definition.js';
import { historyTurns } from '../signature/history.js';
import { type AgentStep, isAgentStep } from '../tools/agent-step.js';
import { readToolCalls, ToolCalls, type ToolResult } from '../tools/tool-calls.js';
import type { Tool } from '../tools/types.js';

/** How an adapter sends tools and reads calls: `'auto'` is native when the LM supports tool calls. */
export type NativeToolCalls = boolean | 'auto';

/** True when `option` means native tool calls for `lm` (`'auto'`: `lm.supportsToolCalls === true`). */
export function resolveNative(option: NativeToolCalls, lm: LanguageModel | undefined): boolean {
  return option === 'auto' ? lm?.supportsToolCalls === true : option;
}

function isTool(value: unknown): value is Tool {
  return typeof value === 'object' && value !== null && typeof (value as Tool).name === 'string';
}

/** The definitions of the tools in the values of `fields`, first one of each name kept. */
export function toolDefinitionsOf(
  fields: readonly string[],
  inputs: Readonly<Record<string, unknown>>,
): ToolDefinition[] {
  const byName = new Map<string, ToolDefinition>();
  for (const name of fields) {
    const value = inputs[name];
    if (!Array.isArray(value)) continue;
    for (const tool of value) {
      if (isTool(tool) && !byName.has(tool.name)) byName.set(tool.name, toolDefinition(tool));
    }
  }
  return [...byName.values()];
}

/** A `Tool[]` value as the prompt shows it: `[{ name, description, parameters }]` as compact JSON. */
export function toolsText(value: unknown): string | undefined {
  if (!Array.isArray(value) || !value.every(isTool)) return undefined;
  return JSON.stringify(value.map(toolDefinition));
}

/** A `ToolCalls` value (or its data) as the list the model writes: `[{ name, args }]`, ids dropped. */
export function callList(
  value: unknown,
): { name: string; args: Readonly<Record<string, unknown>> }[] | undefined {
  const read = readToolCalls(value);
  return read.ok ? read.value.calls.map(({ name, args }) => ({ name, args })) : undefined;
}

/**
 * The response's native tool calls as a `ToolCalls` (ids kept; none → empty), or why one of
 * them cannot be used (arguments that are not a JSON object).
 */
export function fromNativeCalls(calls: readonly ToolCall[] | undefined): ToolCalls | string {
  const items = [];
  for (const [i, c] of (calls ?? []).entries()) {
    if (c.rawArguments !== undefined) {
      return `the arguments of tool call ${i} ('${c.name}') are not a JSON object (${c.argumentsError ?? 'invalid'}): ${c.rawArguments}`;
    }
    items.push({ id: c.id, name: c.name, args: c.arguments });
  }
  return new ToolCalls(items);
}

/** The turns of a `History` value that are agent steps (the live trajectory or a demo's). */
export function agentStepsOf(value: unknown): AgentStep[] {
  if (value === undefined || value === null) return [];
  let turns: readonly unknown[];
  try {
    turns = historyTurns(value) ?? [];
  } catch {
    return [];
  }
  return turns.filter(isAgentStep);
}

/** A step's calls with an id each: its own, else its result's, else `call_<step>_<index>`. */
export function stepCalls(
  step: AgentStep,
  index: number,
): { id: string; name: string; args: Readonly<Record<string, unknown>> }[] {
  const calls = ToolCalls.from(step.toolCalls).calls;
  return calls.map((c, i) => ({
    id: c.id ?? step.results[i]?.id ?? `call_${index}_${i}`,
    name: c.name,
    args: c.args,
  }));
}

/** A demo's trajectory as one JSON list: `[{ thought, tool_calls: [{ name, args }], results: [{ name, content }] }]`. */
export function stepsText(steps: readonly AgentStep[]): string {
  return JSON.stringify(
    steps.map((s) => ({
      thought: s.thought,
      tool_calls: callList(s.toolCalls) ?? [],
      results: s.results.map((r) => ({ name: r.name, content: r.content })),
    })),
  );
}

/** A step's results as the text-mode user turn shows them: `[{ id, name, content }]`. */
export function resultsText(results: readonly ToolResult[]): string {
  return JSON.stringify(results.map((r) => ({ id: r.id, name: r.name, content: r.content })));
}
