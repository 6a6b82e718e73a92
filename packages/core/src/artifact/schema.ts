import type { PrecompiledValidator } from '../adapters/validate.js';
import { validateArtifactSchema } from './artifact-validator.generated.js';

export { ARTIFACT_SCHEMA } from './artifact-schema.js';

const validate: PrecompiledValidator = validateArtifactSchema;

/**
 * Checks `value` against {@link ARTIFACT_SCHEMA} with the validator ajv compiled from it at
 * build time (no ajv, and no code generation, at run time); returns readable problems (empty
 * when valid).
 */
export function schemaProblems(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map(describeError);
}

function describeError(e: NonNullable<PrecompiledValidator['errors']>[number]): string {
  const at = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') {
    return `${at}: unknown property '${String((e.params as { additionalProperty?: unknown }).additionalProperty)}'`;
  }
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    return `${at}: must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (e.keyword === 'const') {
    return `${at}: must be ${JSON.stringify((e.params as { allowedValue?: unknown }).allowedValue)}`;
  }
  return `${at}: ${messageOf(e.keyword, (e.params ?? {}) as Record<string, unknown>) ?? e.message ?? e.keyword}`;
}

/**
 * ajv's message for the keywords ARTIFACT_SCHEMA uses: the precompiled validator leaves
 * messages out of its errors (smaller code), so they are worded here from keyword and params.
 */
function messageOf(keyword: string, p: Record<string, unknown>): string | undefined {
  if (keyword === 'type') return `must be ${String(p.type)}`;
  if (keyword === 'required') return `must have required property '${String(p.missingProperty)}'`;
  if (keyword === 'pattern') return `must match pattern "${String(p.pattern)}"`;
  if (keyword === 'format') return `must match format "${String(p.format)}"`;
  if (keyword === 'minLength') return `must NOT have fewer than ${String(p.limit)} characters`;
  if (keyword === 'minimum') return `must be ${String(p.comparison)} ${String(p.limit)}`;
  if (keyword === 'propertyNames') return 'property name must be valid';
  return undefined;
}
