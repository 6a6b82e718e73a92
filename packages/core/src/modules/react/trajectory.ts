import type { SignatureSpec } from '../../signature/spec.js';
import type { Tool } from './tool.js';

export { observationText } from '../../tools/observation.js';

/** One step of a ReAct run: what the model thought, which tool it called with what, and what came back. */
export interface ReActStep {
  readonly thought: string;
  readonly toolName: string;
  readonly toolArgs: Readonly<Record<string, unknown>>;
  /** The tool's result, or `Error: ...` when it failed. */
  readonly observation: string;
}

/** The name of the tool that ends a ReAct run. */
export const FINISH_TOOL = 'finish';

/**
 * Renders steps as the `trajectory` input: numbered blocks of thought, tool, arguments and
 * observation. `omitted` counts earlier steps dropped to fit the context window. @internal
 */
export function renderTrajectory(steps: readonly ReActStep[], omitted = 0): string {
  if (steps.length === 0) return omitted > 0 ? `(${omitted} earlier steps omitted)` : '(no steps yet)';
  const blocks = steps.map((s, i) =>
    [
      `Step ${omitted + i + 1}`,
      `Thought: ${s.thought}`,
      `Tool: ${s.toolName}`,
      `Arguments: ${JSON.stringify(s.toolArgs)}`,
      `Observation: ${s.observation}`,
    ].join('\n'),
  );
  if (omitted > 0) blocks.unshift(`(${omitted} earlier steps omitted)`);
  return blocks.join('\n\n');
}

function fieldList(names: readonly string[]): string {
  return names.map((n) => `\`${n}\``).join(', ');
}

/** The instructions of the `react` predictor: the task, how to act, and every tool. @internal */
export function reactInstructions(spec: SignatureSpec<object, object>, tools: readonly Tool[]): string {
  const inputs = fieldList(spec.inputs.map((f) => f.name));
  const outputs = fieldList(spec.outputs.map((f) => f.name));
  const lines: string[] = [];
  if (spec.instructions) lines.push(spec.instructions, '');
  lines.push(
    `You are an agent. You receive ${inputs} and work towards producing ${outputs}.`,
    'You also receive `trajectory`: the steps taken so far, each with its thought, tool call and observation.',
    'In each turn, write `nextThought` (your reasoning about the current situation and what to do next),',
    'then pick `nextToolName` (one of the tools below) and give `nextToolArgs` as a JSON object that matches its arguments.',
    "A tool's result comes back as the next observation.",
    '',
    'Tools:',
  );
  tools.forEach((t, i) => {
    const desc = t.description ? `: ${t.description}` : '';
    lines.push(`(${i + 1}) ${t.name}${desc}. Arguments: ${JSON.stringify(t.parameters)}`);
  });
  lines.push(
    `(${tools.length + 1}) ${FINISH_TOOL}: ends the task once everything needed to produce ${outputs} is known. Arguments: {}`,
  );
  return lines.join('\n');
}
