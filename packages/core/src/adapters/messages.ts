import type { ChatMessage } from '../lm/types.js';
import { historyTurns } from '../signature/history.js';
import type { SignatureSpec } from '../signature/spec.js';
import { isAgentStep } from '../tools/agent-step.js';
import type { CoerceResult } from './coerce.js';
import { INCOMPLETE_DEMO_NOTICE, sortDemos } from './demos.js';
import { parseError } from './errors.js';
import type { FieldKind } from './field-kind.js';
import type { SpecLayout } from './layout.js';
import { collectMedia, withMediaParts } from './media-parts.js';
import { type BlockWriter, markerBlock, NOT_SUPPLIED, neutralizeMarkers, renderBlocks } from './render.js';
import { agentStepsOf, stepsText } from './tool-values.js';
import { trajectoryMessages } from './trajectory.js';
import type { Demo, FormatArgs, HistoryTurn } from './types.js';

/** Renders the outputs of a demo, a history turn or an agent step as the assistant answers (`missing` fills gaps). */
export type AssistantRenderer = (values: Readonly<Record<string, unknown>>, missing?: string) => string;

/**
 * `[system, (user, assistant) per demo — complete ones first, then incomplete ones —,
 * (user, assistant) per history turn, final user, then the live trajectory's steps]`, shared
 * by every adapter; user messages that show media get content parts. `assistant` renders the outputs of a demo, a history turn or an agent step;
 * `write` writes each input block (`[[ ## name ## ]]` markers by default).
 */
export function buildMessages(
  layout: SpecLayout,
  args: FormatArgs,
  system: string,
  requirements: string,
  assistant: AssistantRenderer,
  write: BlockWriter = markerBlock,
): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: system }];
  const user = (values: Readonly<Record<string, unknown>>) =>
    renderBlocks(layout.inputs, values, undefined, write).join('\n\n');
  const demoUser = (demo: Demo, notice?: string) => {
    const blocks = demoBlocks(layout, demo, write);
    if (notice) blocks.unshift(notice);
    return blocks.join('\n\n');
  };
  const history = new Set(layout.historyInputs);
  const sortInputs = layout.demoInputs.filter((fk) => !history.has(fk.field.name));
  const { complete, incomplete } = sortDemos(args.demos, sortInputs, layout.allOutputs);
  for (const demo of complete) {
    messages.push({ role: 'user', content: demoUser(demo) }, { role: 'assistant', content: assistant(demo) });
  }
  for (const demo of incomplete) {
    messages.push(
      { role: 'user', content: demoUser(demo, INCOMPLETE_DEMO_NOTICE) },
      { role: 'assistant', content: assistant(demo, NOT_SUPPLIED) },
    );
  }
  for (const turn of turnsOf(layout, args)) {
    messages.push(
      { role: 'user', content: user(turn.inputs) },
      { role: 'assistant', content: assistant(turn.outputs) },
    );
  }
  const final = renderBlocks(layout.inputs, args.inputs, undefined, write);
  final.push(requirements);
  messages.push({ role: 'user', content: final.join('\n\n') });
  for (const name of layout.historyInputs) {
    messages.push(
      ...trajectoryMessages(layout, agentStepsOf(args.inputs[name]), requirements, assistant, write),
    );
  }
  return withMediaParts(messages, collectMedia(args));
}

/**
 * A demo's user turn: its inputs as blocks (never its `Tool[]` values), a `History` of agent
 * steps as one block holding the JSON list of steps.
 */
function demoBlocks(layout: SpecLayout, demo: Demo, write: BlockWriter): string[] {
  const blocks: string[] = [];
  const history = new Set(layout.historyInputs);
  for (const fk of layout.demoInputs) {
    const name = fk.field.name;
    if (!history.has(name)) {
      blocks.push(...renderBlocks([fk], demo, undefined, write));
      continue;
    }
    const steps = agentStepsOf(demo[name]);
    if (steps.length > 0) blocks.push(write(name, neutralizeMarkers(stepsText(steps))));
  }
  return blocks;
}

/**
 * The earlier turns to render: `args.history`, then the turns of every `History` input that
 * are not agent steps (each turn's values serve as both its inputs and its outputs; rendering
 * keeps the fields it has).
 */
function turnsOf(layout: SpecLayout, args: FormatArgs): HistoryTurn[] {
  const turns = [...(args.history ?? [])];
  for (const name of layout.historyInputs) {
    for (const values of historyTurns(args.inputs[name]) ?? [])
      if (!isAgentStep(values)) turns.push({ inputs: values, outputs: values });
  }
  return turns;
}

/**
 * Reads every output field with `read` (undefined when the completion lacks the field) and
 * throws `ADAPTER_PARSE` for the first invalid value or for missing required fields (unless
 * `lenient`: then they are left out).
 */
export function collectOutputs(
  adapter: string,
  spec: SignatureSpec<object, object>,
  layout: SpecLayout,
  completion: string,
  found: readonly string[],
  read: (fk: FieldKind) => CoerceResult | undefined,
  lenient = false,
): Record<string, unknown> {
  const outputs: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const fk of layout.outputs) {
    const name = fk.field.name;
    const result = read(fk);
    if (result === undefined) {
      if (!fk.field.optional) missing.push(name);
      continue;
    }
    if (!result.ok) {
      const problem = `output field '${name}' is invalid: ${result.reason}`;
      throw parseError(adapter, spec, completion, { problem, found, field: name });
    }
    outputs[name] = result.value;
  }
  if (missing.length > 0 && !lenient) {
    const list = missing.map((n) => `'${n}'`).join(', ');
    const problem = `missing output field${missing.length > 1 ? 's' : ''} ${list}`;
    throw parseError(adapter, spec, completion, { problem, found });
  }
  return outputs;
}
