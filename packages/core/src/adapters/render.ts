import { DspyError } from '../errors.js';
import { isMedia } from '../media/brand.js';
import { codeLanguageOf, fenceCode, isCodeValue } from '../signature/code-reasoning.js';
import type { FieldKind } from './field-kind.js';
import { mediaReplacer } from './media-parts.js';
import { callList, toolsText } from './tool-values.js';

/** The value shown for a demo's output that the demo does not have. */
export const NOT_SUPPLIED = 'Not supplied for this particular example.';

const TRAILING_SPACE = /[^\S\n]+$/gm;
/** A `[[ ## name ## ]]` field marker anywhere in a text (the parser's shape, spaces optional). */
const MARKER_IN_TEXT = /\[\[(\s*##\s*\w+\s*##\s*)\]\]/g;

/**
 * Breaks every `[[ ## name ## ]]` inside a value into `[ [ ## name ## ] ]`, which the parser
 * does not read as a marker: an input cannot open an output section, even when the model
 * echoes it.
 */
export function neutralizeMarkers(text: string): string {
  return text.includes('[[') ? text.replace(MARKER_IN_TEXT, '[ [$1] ]') : text;
}

/** The `[[ ## name ## ]]` line that opens a field's section. */
export function marker(name: string): string {
  return `[[ ## ${name} ## ]]`;
}

/** True for an array of strings (prompts show it for a string field as numbered lines). */
export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/**
 * A value as a JSON answer holds it: a `ToolCalls` output as its list of `{ name, args }`
 * (ids dropped), a `Code` value as `{ code }`, anything else as it is.
 */
export function plainValue(fk: FieldKind, value: unknown): unknown {
  if (fk.kind === 'code' && typeof value === 'string') return { code: value };
  if (fk.kind === 'code' && isCodeValue(value)) return { code: value.code };
  return fk.kind === 'toolCalls' ? (callList(value) ?? value) : value;
}

/**
 * A value as prompts show it: strings as they are, a string[] given to a string field as
 * `[1] «a»` lines, a `Tool[]` as its tools' `{ name, description, parameters }`, a `ToolCalls`
 * as its `[{ name, args }]` list, a `Code` value as a fenced block in its language, anything else as compact JSON. Lines never end in
 * whitespace, and field markers inside the value are neutralised ({@link neutralizeMarkers}).
 */
export function renderValue(fk: FieldKind | undefined, value: unknown): string {
  let text: string;
  const special = fk?.kind === 'tools' ? toolsText(value) : undefined;
  if (special !== undefined) text = special;
  else if (fk?.kind === 'toolCalls') text = toJson(fk, plainValue(fk, value));
  else if (fk?.kind === 'code' && (typeof value === 'string' || isCodeValue(value)))
    text = fenceCode(value, codeLanguageOf(fk.field));
  else if (typeof value === 'string') text = value;
  else if (isMedia(value)) text = value.textView();
  else if ((!fk || fk.kind === 'string') && isStringArray(value)) {
    text = value.map((v, i) => `[${i + 1}] «${v}»`).join('\n');
  } else if (value instanceof Date) text = value.toISOString();
  else text = toJson(fk, value);
  return neutralizeMarkers(text.replace(TRAILING_SPACE, ''));
}

function toJson(fk: FieldKind | undefined, value: unknown): string {
  try {
    return JSON.stringify(value, mediaReplacer) ?? String(value);
  } catch (err) {
    const name = fk ? `field '${fk.field.name}'` : 'a value';
    throw new DspyError('ADAPTER_FORMAT', `Cannot render ${name} as JSON: ${(err as Error).message}`, {
      cause: err,
      details: {
        where: fk ? `field ${fk.field.name}` : 'adapter format',
        fix: 'Pass plain JSON data (no cycles, BigInt or class instances with state) as inputs and demos.',
      },
    });
  }
}

/** True when a demo or input has a usable value for a key. */
export function present(values: Readonly<Record<string, unknown>>, name: string): boolean {
  const v = values[name];
  return v !== undefined && v !== null;
}

/** Writes one field's block from its name and rendered text (the prompt format's field syntax). */
export type BlockWriter = (name: string, text: string) => string;

/** The chat format's block: `[[ ## name ## ]]\ntext`. */
export const markerBlock: BlockWriter = (name, text) => `${marker(name)}\n${text}`;

/**
 * One block per field (`[[ ## name ## ]]\nvalue` unless `write` says otherwise), in field order.
 * Absent values are skipped, or shown as `missing` when it is given.
 */
export function renderBlocks(
  fields: readonly FieldKind[],
  values: Readonly<Record<string, unknown>>,
  missing?: string,
  write: BlockWriter = markerBlock,
): string[] {
  const blocks: string[] = [];
  for (const fk of fields) {
    const name = fk.field.name;
    if (present(values, name)) blocks.push(write(name, renderValue(fk, values[name])));
    else if (missing !== undefined) blocks.push(write(name, missing));
  }
  return blocks;
}
