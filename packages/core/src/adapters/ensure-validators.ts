import type { FieldSpec } from '../signature/spec.js';
import { fieldKind } from './field-kind.js';
import { canValidateNow, loadSchemaCompiler } from './validate.js';

/** Field lists whose schemas are all validated without waiting (precompiled, or not asked of ajv). */
const ready = new WeakSet<readonly FieldSpec[]>();

/** True when checking `field`'s values in `role` never asks ajv (see `fieldCheck` and `coerceText`). */
function skipsAjv(field: FieldSpec, role: 'input' | 'output'): boolean {
  const fk = fieldKind(field);
  if (fk.constrained) return false;
  if (fk.kind === 'string' || fk.kind === 'tools' || fk.kind === 'toolCalls') return true;
  return role === 'output' && fk.kind !== 'json';
}

function listReady(fields: readonly FieldSpec[], role: 'input' | 'output'): boolean {
  if (ready.has(fields)) return true;
  for (const field of fields) if (!skipsAjv(field, role) && !canValidateNow(field.schema)) return false;
  ready.add(fields);
  return true;
}

/**
 * Resolves once the inputs and outputs of `spec` can be validated synchronously: loads ajv (once)
 * when a field that needs it has no precompiled validator. Returns `undefined` when there is
 * nothing to wait for, so that the usual call costs no extra turn of the event loop. @internal
 */
export function ensureSpecValidators(spec: {
  readonly inputs: readonly FieldSpec[];
  readonly outputs: readonly FieldSpec[];
}): Promise<void> | undefined {
  if (listReady(spec.inputs, 'input') && listReady(spec.outputs, 'output')) return undefined;
  return loadSchemaCompiler();
}
