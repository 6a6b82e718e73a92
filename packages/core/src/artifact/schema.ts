import type { PrecompiledValidator } from '../adapters/validate.js';
import { CHECKED_ARTIFACT_SCHEMA } from './artifact-schema.generated.js';
import { schemaValidator } from './schema-check.js';

export { ARTIFACT_SCHEMA } from './artifact-schema.js';

/** The validator of {@link ARTIFACT_SCHEMA}: ajv's errors for it, without ajv. @internal */
export const validateArtifactSchema: PrecompiledValidator =
  /* @__PURE__ */ schemaValidator(CHECKED_ARTIFACT_SCHEMA);
const validate = validateArtifactSchema;

/**
 * Checks `value` against {@link ARTIFACT_SCHEMA} (no ajv, and no code generation, at run time);
 * returns readable problems (empty when valid).
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

/** ajv's message for the keywords ARTIFACT_SCHEMA uses, worded from keyword and params. */
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
