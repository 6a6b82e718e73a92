import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import schemaJson from './artifact.schema.json' with { type: 'json' };
import type { Artifact } from './types.js';

/** The JSON Schema (draft-07) of the frozen artifact, also shipped as `artifact.schema.json`. */
export const ARTIFACT_SCHEMA: Readonly<Record<string, unknown>> = schemaJson;

let validator: ValidateFunction<Artifact> | undefined;

function compiled(): ValidateFunction<Artifact> {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormatsModule.default(ajv, ['date-time']);
    validator = ajv.compile<Artifact>(schemaJson);
  }
  return validator;
}

/** Checks `value` against {@link ARTIFACT_SCHEMA}; returns readable problems (empty when valid). */
export function schemaProblems(value: unknown): string[] {
  const validate = compiled();
  if (validate(value)) return [];
  return (validate.errors ?? []).map(describeError);
}

function describeError(e: ErrorObject): string {
  const at = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') {
    return `${at}: unknown property '${String((e.params as { additionalProperty?: unknown }).additionalProperty)}'`;
  }
  if (e.keyword === 'const') {
    return `${at}: must be ${JSON.stringify((e.params as { allowedValue?: unknown }).allowedValue)}`;
  }
  return `${at}: ${e.message ?? e.keyword}`;
}
