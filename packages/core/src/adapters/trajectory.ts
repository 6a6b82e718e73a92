import type { ChatMessage } from '../lm/types.js';
import type { AgentStep } from '../tools/agent-step.js';
import type { SpecLayout } from './layout.js';
import type { AssistantRenderer } from './messages.js';
import { type BlockWriter, markerBlock, neutralizeMarkers } from './render.js';
import { resultsText, stepCalls } from './tool-values.js';

/** The name of the block that gives a text-mode agent step's tool results back to the model. */
export const TOOL_RESULTS = 'tool_results';

/**
 * The live trajectory after the final user message, one step at a time. Native: the assistant's
 * thought and tool calls, then one `tool` message per result. Text: the step rendered as the
 * assistant's outputs (thought and calls), then a user turn with the results and `requirements`.
 */
export function trajectoryMessages(
  layout: SpecLayout,
  steps: readonly AgentStep[],
  requirements: string,
  assistant: AssistantRenderer,
  write: BlockWriter = markerBlock,
): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const thought = layout.thought?.field.name;
  for (const [index, step] of steps.entries()) {
    if (layout.native) {
      const toolCalls = stepCalls(step, index).map((c) => ({ id: c.id, name: c.name, arguments: c.args }));
      const content = thought === undefined ? '' : assistant({ [thought]: step.thought });
      messages.push({ role: 'assistant', content, toolCalls });
      for (const r of step.results) messages.push({ role: 'tool', toolCallId: r.id, content: r.content });
      continue;
    }
    const values: Record<string, unknown> = {};
    if (thought !== undefined) values[thought] = step.thought;
    if (layout.calls) values[layout.calls.field.name] = step.toolCalls;
    const results = write(TOOL_RESULTS, neutralizeMarkers(resultsText(step.results)));
    messages.push(
      { role: 'assistant', content: assistant(values) },
      { role: 'user', content: `${results}\n\n${requirements}` },
    );
  }
  return messages;
}
