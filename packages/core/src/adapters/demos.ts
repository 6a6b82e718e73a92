import type { FieldKind } from './field-kind.js';
import { present } from './render.js';
import type { Demo } from './types.js';

/** Opens the user turn of a demo that lacks some fields. */
export const INCOMPLETE_DEMO_NOTICE =
  'This is an example of the task, though some input or output fields are not supplied.';

/** Demos in the order prompts show them: complete ones first, then incomplete ones. */
export interface SortedDemos {
  readonly complete: readonly Demo[];
  readonly incomplete: readonly Demo[];
}

const has = (demo: Demo, fields: readonly FieldKind[]) => fields.some((fk) => present(demo, fk.field.name));
const hasAll = (demo: Demo, fields: readonly FieldKind[]) =>
  fields.every((fk) => fk.field.optional || present(demo, fk.field.name));

/**
 * Sorts demos into complete (every required field) and incomplete ones; demos with no input
 * or no output at all are dropped.
 */
export function sortDemos(
  demos: readonly Demo[] | undefined,
  inputs: readonly FieldKind[],
  outputs: readonly FieldKind[],
): SortedDemos {
  const complete: Demo[] = [];
  const incomplete: Demo[] = [];
  for (const demo of demos ?? []) {
    if ((inputs.length > 0 && !has(demo, inputs)) || !has(demo, outputs)) continue;
    (hasAll(demo, inputs) && hasAll(demo, outputs) ? complete : incomplete).push(demo);
  }
  return { complete, incomplete };
}
