import { escapeXml } from '../../adapters/xml-escape.js';
import type { PromptField } from './types.js';

/** A value as the adapters write it: strings raw, anything else as compact JSON. */
export function valueText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
}

/** Keys of `outputs` in the prompt's output order, then any others in their own order. */
function ordered(outputs: Readonly<Record<string, unknown>>, fields: readonly PromptField[]): string[] {
  const keys: string[] = [];
  for (const f of fields) if (f.name in outputs) keys.push(f.name);
  for (const k of Object.keys(outputs)) if (!keys.includes(k)) keys.push(k);
  return keys;
}

/** Renders outputs as ChatAdapter blocks ending in `[[ ## completed ## ]]`. */
export function renderChat(
  outputs: Readonly<Record<string, unknown>>,
  fields: readonly PromptField[] = [],
): string {
  const blocks = ordered(outputs, fields).map((k) => `[[ ## ${k} ## ]]\n${valueText(outputs[k])}`);
  return [...blocks, '[[ ## completed ## ]]'].join('\n\n');
}

/** Renders outputs as one JSON object (keys in the prompt's output order). */
export function renderJson(
  outputs: Readonly<Record<string, unknown>>,
  fields: readonly PromptField[] = [],
): string {
  const obj: Record<string, unknown> = {};
  for (const k of ordered(outputs, fields)) obj[k] = outputs[k];
  return JSON.stringify(obj, null, 2);
}

/** Renders outputs as XMLAdapter elements, `<name>\nvalue\n</name>` (values escaped as the adapter does). */
export function renderXml(
  outputs: Readonly<Record<string, unknown>>,
  fields: readonly PromptField[] = [],
): string {
  return ordered(outputs, fields)
    .map((k) => `<${k}>\n${escapeXml(valueText(outputs[k]))}\n</${k}>`)
    .join('\n\n');
}

/**
 * Renders outputs as a natural answer: one `name: value` paragraph per field (a value of several
 * lines below its name), as `TwoStepAdapter` shows demo answers and its extraction step reads them.
 */
export function renderProse(
  outputs: Readonly<Record<string, unknown>>,
  fields: readonly PromptField[] = [],
): string {
  return ordered(outputs, fields)
    .map((k) => {
      const text = valueText(outputs[k]);
      return text.includes('\n') ? `${k}:\n${text}` : `${k}: ${text}`;
    })
    .join('\n\n');
}

/**
 * Renders outputs in the prompt's format: a JSON object when `json`, else elements when `xml`,
 * else `name: value` prose when `prose`, else chat blocks.
 */
export function renderOutputs(
  outputs: Readonly<Record<string, unknown>>,
  fields: readonly PromptField[],
  json: boolean,
  xml = false,
  prose = false,
): string {
  if (json) return renderJson(outputs, fields);
  if (xml) return renderXml(outputs, fields);
  return prose ? renderProse(outputs, fields) : renderChat(outputs, fields);
}

/** A deterministic token estimate: ceil(characters / 4). */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}
