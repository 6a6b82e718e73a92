import type { Manifest, ManifestSignature } from '../../src/signature/manifest.js';
import type { FieldSpec, JsonSchema } from '../../src/signature/spec.js';
import { hashSignature } from '../../src/signature/spec.js';

/** A manifest field as the build step writes it. */
export function mfield(
  name: string,
  typeText: string,
  schema: JsonSchema,
  extra: Partial<FieldSpec> = {},
): FieldSpec {
  return { name, typeText, schema, ...extra };
}

/** A manifest signature entry with its hash. */
export function mentry(
  name: string,
  inputs: FieldSpec[],
  outputs: FieldSpec[],
  extra: { kind?: 'class' | 'method'; instructions?: string } = {},
): ManifestSignature {
  const instructions = extra.instructions ?? '';
  return {
    kind: extra.kind ?? 'class',
    name,
    location: `src/${name.split('.')[0]?.toLowerCase()}.ts:3:1`,
    instructions,
    inputs,
    outputs,
    hash: hashSignature({ name, instructions, inputs, outputs }),
  };
}

/** A whole manifest over some entries. */
export function manifestOf(...entries: ManifestSignature[]): Manifest {
  return {
    version: 1,
    sourceHashes: Object.fromEntries(entries.map((e) => [e.location.split(':')[0] ?? '', 'ab'.repeat(32)])),
    signatures: Object.fromEntries(entries.map((e) => [e.name, e])),
    tools: {},
  };
}

export const STRING: JsonSchema = { type: 'string' };
export const STRINGS: JsonSchema = { type: 'array', items: { type: 'string' } };
