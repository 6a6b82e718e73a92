import type { SignatureSpec } from '../../signature/spec.js';
import type { AgentStep } from '../../tools/agent-step.js';
import type { Tool } from './tool.js';

/** The name of the tool that ends a ReAct run. */
export const FINISH_TOOL = 'finish';

function fieldList(names: readonly string[]): string {
  return names.map((n) => `\`${n}\``).join(', ');
}

/**
 * The `finish` tool the `react` predictor is given beside the user's tools: no arguments; calling
 * it ends the loop.
 * @internal
 */
export function finishTool(spec: SignatureSpec<object, object>): Tool<string> {
  const outputs = fieldList(spec.outputs.map((f) => f.name));
  return Object.freeze({
    name: FINISH_TOOL,
    description: `Ends the task once everything needed to produce ${outputs} is known.`,
    parameters: Object.freeze({ type: 'object', properties: {}, additionalProperties: false }),
    params: Object.freeze([]),
    call: async () => 'Done.',
  });
}

/** The instructions of the `react` predictor: the task and how to act. @internal */
export function reactInstructions(spec: SignatureSpec<object, object>): string {
  const inputs = fieldList(spec.inputs.map((f) => f.name));
  const outputs = fieldList(spec.outputs.map((f) => f.name));
  const lines: string[] = [];
  if (spec.instructions) lines.push(spec.instructions, '');
  lines.push(
    `You are an agent. You receive ${inputs} and work towards producing ${outputs}.`,
    'In each turn, write `nextThought` (your reasoning about the situation and what to do next) and',
    'call the tools you need now. The calls of one turn run at the same time, so make several only',
    'when they do not depend on each other. Each result comes back, under its call id, before your next turn.',
    `Call \`${FINISH_TOOL}\` (or call no tool) once everything needed to produce ${outputs} is known.`,
  );
  return lines.join('\n');
}

function renderStep(step: AgentStep, n: number): string {
  const lines = [`Step ${n}`, `Thought: ${step.thought}`];
  for (const call of step.toolCalls.calls) {
    const id = call.id === undefined ? '' : ` ${call.id}`;
    lines.push(`Call${id}: ${call.name}(${JSON.stringify(call.args)})`);
  }
  for (const result of step.results) lines.push(`Result ${result.id} (${result.name}): ${result.content}`);
  return lines.join('\n');
}

/**
 * The readable text of an agent's steps (what the `extract` predictor reads as `trajectory`):
 * per step its number, thought, every call `name(args)` with its id, and every result.
 * `omitted` counts earlier steps dropped to fit the context window. @internal
 */
export function renderTrajectory(steps: readonly AgentStep[], omitted = 0): string {
  if (steps.length === 0) return omitted > 0 ? `(${omitted} earlier steps omitted)` : '(no steps yet)';
  const blocks = steps.map((s, i) => renderStep(s, omitted + i + 1));
  if (omitted > 0) blocks.unshift(`(${omitted} earlier steps omitted)`);
  return blocks.join('\n\n');
}
