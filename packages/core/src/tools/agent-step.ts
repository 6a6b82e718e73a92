import { ToolCalls, type ToolResult } from './tool-calls.js';

/**
 * One turn of an agent: the model's text (its thought), the tools it called, and what each call
 * gave, in call order. A `History` of steps is an agent's trajectory: adapters render each step
 * as the assistant's tool calls followed by one tool result per call.
 */
export interface AgentStep {
  /** What the model wrote before calling (may be empty). */
  readonly thought: string;
  /** The calls of the turn, each with its id. */
  readonly toolCalls: ToolCalls;
  /** One result per call, answering it by id. */
  readonly results: readonly ToolResult[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when a history turn is an {@link AgentStep}: it has `toolCalls` (a `ToolCalls` or its
 * `{ calls }` data, as an artifact gives it back) and a `results` list.
 */
export function isAgentStep(turn: unknown): turn is AgentStep {
  if (!isRecord(turn) || !Array.isArray(turn.results)) return false;
  const calls = turn.toolCalls;
  return ToolCalls.isToolCalls(calls) || (isRecord(calls) && Array.isArray(calls.calls));
}
