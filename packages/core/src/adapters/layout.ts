import { isHistoryField } from '../signature/history.js';
import type { FieldSpec, SignatureSpec } from '../signature/spec.js';
import { isToolCallsField, isToolsField } from '../tools/field-types.js';
import { type FieldKind, fieldKind } from './field-kind.js';

/** What both adapters precompute once per signature spec and tool-call mode. */
export interface SpecLayout {
  /** True for native tool calls: `Tool[]` inputs go to `request.tools`, `ToolCalls` comes from the response. */
  readonly native: boolean;
  /**
   * The inputs prompts render as fields: every input but the `History` ones, and in native
   * mode but the `Tool[]` ones.
   */
  readonly inputs: readonly FieldKind[];
  /** The inputs a demo's user turn renders: every input but the `Tool[]` ones, in order. */
  readonly demoInputs: readonly FieldKind[];
  /** The `History` inputs: rendered as earlier user/assistant turns, not as fields. */
  readonly historyInputs: readonly string[];
  /** The `Tool[]` inputs. */
  readonly toolsInputs: readonly string[];
  /** The outputs the model writes as text (in native mode, all but the `ToolCalls` one). */
  readonly outputs: readonly FieldKind[];
  /** Every output: what a demo's answer (or a text-mode agent step) renders. */
  readonly allOutputs: readonly FieldKind[];
  /** The `ToolCalls` output, if any (a signature has at most one). */
  readonly calls: FieldKind | undefined;
  /** The thought field: the first other output whose schema is `type: 'string'`. */
  readonly thought: FieldKind | undefined;
  readonly outputByName: ReadonlyMap<string, FieldKind>;
  readonly outputNames: readonly string[];
  /** The input field names (a completion that echoes one is not answering it). */
  readonly inputNames: ReadonlySet<string>;
  /** The system message's first block: `Your input fields are: ...`. */
  readonly descriptions: string;
  /** The system message's last block: `In adhering to this structure, ...`. */
  readonly task: string;
}

/** The system message's last line with native tool calls (both adapters). */
export const NATIVE_TOOLS_LINE =
  'Call tools through the function-calling interface; when no more tool calls are needed, answer without calling a tool.';

/** The final user message's last line with native tool calls when the only output is the `ToolCalls`. */
export const NATIVE_ONLY_REQUIREMENTS = 'Respond by calling tools.';

/** The structure line that opens the system message's second block (every text adapter). */
export const STRUCTURE_INTRO =
  'All interactions will be structured in the following way, with the appropriate values filled in.';

/** The note an output adds to its placeholder when its value is not a plain string. */
export function outputNote(fk: FieldKind): string {
  return fk.note ? `        # note: the value you produce ${fk.note}` : '';
}

/** A text adapter's prompt template: the system message and the final user message's last line. */
export interface AdapterTemplate {
  readonly layout: SpecLayout;
  readonly system: string;
  readonly requirements: string;
}

/**
 * Completes a template from its `structure` block: the system message (field descriptions, the
 * structure, the task, and the native-tools line when tools go through function calling) and the
 * requirements line, which names the outputs in order as `label` shows a field's name.
 */
export function completeTemplate(
  layout: SpecLayout,
  structure: string,
  label: (name: string) => string,
  requirements: (order: string) => string,
): AdapterTemplate {
  const order = layout.outputs
    .map((fk) => `\`${label(fk.field.name)}\`${fk.parenthetical ? ` ${fk.parenthetical}` : ''}`)
    .join(', then ');
  const system = [layout.descriptions, structure, layout.task];
  if (layout.native) system.push(NATIVE_TOOLS_LINE);
  return {
    layout,
    system: system.join('\n'),
    requirements: layout.outputs.length > 0 ? requirements(order) : NATIVE_ONLY_REQUIREMENTS,
  };
}

const INDENT = '        ';
const layouts = [
  new WeakMap<SignatureSpec<object, object>, SpecLayout>(),
  new WeakMap<SignatureSpec<object, object>, SpecLayout>(),
] as const;

function fieldLine(field: FieldSpec, index: number): string {
  const desc = field.description?.trim();
  return `${index + 1}. \`${field.name}\` (${field.typeText})${desc ? `: ${desc}` : ''}`;
}

function describeFields(inputs: readonly FieldSpec[], outputs: readonly FieldSpec[]): string {
  const lines: string[] = [];
  if (inputs.length > 0) lines.push('Your input fields are:', ...inputs.map(fieldLine));
  // Only a native tool-calling signature whose sole output is its ToolCalls has none.
  if (outputs.length > 0) lines.push('Your output fields are:', ...outputs.map(fieldLine));
  return lines.join('\n');
}

const quoted = (fields: readonly FieldSpec[]) => fields.map((f) => `\`${f.name}\``).join(', ');

/** The instructions, or ``Given the fields `a`, produce the fields `b`.`` when there are none. */
export function instructionsOf(spec: SignatureSpec<object, object>): string {
  const text = spec.instructions.trim();
  if (text) return text;
  const outputs = quoted(spec.outputs);
  return spec.inputs.length > 0
    ? `Given the fields ${quoted(spec.inputs)}, produce the fields ${outputs}.`
    : `Produce the fields ${outputs}.`;
}

function describeTask(spec: SignatureSpec<object, object>): string {
  const lines = instructionsOf(spec)
    .split('\n')
    .map((line) => (line.trim() ? `${INDENT}${line.trimEnd()}` : ''));
  return ['In adhering to this structure, your objective is:', ...lines].join('\n');
}

/** True when `spec` has a `Tool[]` input or a `ToolCalls` output (tool-call mode matters for it). */
export function usesTools(spec: SignatureSpec<object, object>): boolean {
  return spec.inputs.some(isToolsField) || spec.outputs.some(isToolCallsField);
}

/**
 * The precomputed layout of `spec` (built once, then cached per spec object). `native` (native
 * tool calls) only changes the layout of a signature with a `Tool[]` input or a `ToolCalls` output.
 */
export function layoutOf(spec: SignatureSpec<object, object>, native = false): SpecLayout {
  const mode = native && usesTools(spec);
  const cache = layouts[mode ? 1 : 0];
  let layout = cache.get(spec);
  if (layout) return layout;
  const allOutputs = spec.outputs.map(fieldKind);
  const calls = allOutputs.find((fk) => fk.kind === 'toolCalls');
  const outputs = mode ? allOutputs.filter((fk) => fk !== calls) : allOutputs;
  const fieldInputs = spec.inputs.filter((f) => !isHistoryField(f) && !(mode && isToolsField(f)));
  layout = Object.freeze({
    native: mode,
    inputs: fieldInputs.map(fieldKind),
    demoInputs: spec.inputs.filter((f) => !isToolsField(f)).map(fieldKind),
    historyInputs: spec.inputs.filter(isHistoryField).map((f) => f.name),
    toolsInputs: spec.inputs.filter(isToolsField).map((f) => f.name),
    outputs,
    allOutputs,
    calls,
    thought: calls ? allOutputs.find((fk) => fk !== calls && fk.field.schema.type === 'string') : undefined,
    outputByName: new Map(outputs.map((fk) => [fk.field.name, fk])),
    outputNames: outputs.map((fk) => fk.field.name),
    inputNames: new Set(spec.inputs.map((f) => f.name)),
    descriptions: describeFields(
      fieldInputs,
      outputs.map((fk) => fk.field),
    ).replace(/[^\S\n]+$/gm, ''),
    task: describeTask(spec),
  });
  cache.set(spec, layout);
  return layout;
}

/** `build` memoised per layout object: what an adapter derives once from a layout (its template). */
export function perLayout<T>(build: (layout: SpecLayout) => T): (layout: SpecLayout) => T {
  const cache = new WeakMap<SpecLayout, T>();
  return (layout) => {
    let value = cache.get(layout);
    if (value === undefined) {
      value = build(layout);
      cache.set(layout, value);
    }
    return value;
  };
}
