import { isHistoryField } from '../signature/history.js';
import type { FieldSpec, SignatureSpec } from '../signature/spec.js';
import { type FieldKind, fieldKind } from './field-kind.js';

/** What both adapters precompute once per signature spec. */
export interface SpecLayout {
  /** The inputs prompts render as fields (every input but the `History` ones). */
  readonly inputs: readonly FieldKind[];
  /** The `History` inputs: rendered as earlier user/assistant turns, not as fields. */
  readonly historyInputs: readonly string[];
  readonly outputs: readonly FieldKind[];
  readonly outputByName: ReadonlyMap<string, FieldKind>;
  readonly outputNames: readonly string[];
  /** The input field names (a completion that echoes one is not answering it). */
  readonly inputNames: ReadonlySet<string>;
  /** The system message's first block: `Your input fields are: ...`. */
  readonly descriptions: string;
  /** The system message's last block: `In adhering to this structure, ...`. */
  readonly task: string;
}

const INDENT = '        ';
const layouts = new WeakMap<SignatureSpec<object, object>, SpecLayout>();

function fieldLine(field: FieldSpec, index: number): string {
  const desc = field.description?.trim();
  return `${index + 1}. \`${field.name}\` (${field.typeText})${desc ? `: ${desc}` : ''}`;
}

function describeFields(spec: SignatureSpec<object, object>, inputs: readonly FieldSpec[]): string {
  const lines: string[] = [];
  if (inputs.length > 0) lines.push('Your input fields are:', ...inputs.map(fieldLine));
  lines.push('Your output fields are:', ...spec.outputs.map(fieldLine));
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

/** The precomputed layout of `spec` (built once, then cached per spec object). */
export function layoutOf(spec: SignatureSpec<object, object>): SpecLayout {
  let layout = layouts.get(spec);
  if (layout) return layout;
  const outputs = spec.outputs.map(fieldKind);
  const fieldInputs = spec.inputs.filter((f) => !isHistoryField(f));
  layout = Object.freeze({
    inputs: fieldInputs.map(fieldKind),
    historyInputs: spec.inputs.filter(isHistoryField).map((f) => f.name),
    outputs,
    outputByName: new Map(outputs.map((fk) => [fk.field.name, fk])),
    outputNames: spec.outputs.map((f) => f.name),
    inputNames: new Set(spec.inputs.map((f) => f.name)),
    descriptions: describeFields(spec, fieldInputs).replace(/[^\S\n]+$/gm, ''),
    task: describeTask(spec),
  });
  layouts.set(spec, layout);
  return layout;
}
