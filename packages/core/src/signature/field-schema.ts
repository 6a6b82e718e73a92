import { DspyError } from '../errors.js';
import type { ManifestSignature } from './manifest.js';
import { manifestSignature, registeredManifest } from './registry.js';
import type { FieldSpec } from './spec.js';

/**
 * Field schemas without the build step: `design:type` / `design:paramtypes` metadata (emitted
 * by `tsc` with `emitDecoratorMetadata`) gives String, Number and Boolean; anything else needs
 * the manifest.
 */

const PRIMITIVE_FIELDS = new Map<unknown, Pick<FieldSpec, 'schema' | 'typeText'>>([
  [String, { schema: { type: 'string' }, typeText: 'string' }],
  [Number, { schema: { type: 'number' }, typeText: 'number' }],
  [Boolean, { schema: { type: 'boolean' }, typeText: 'boolean' }],
]);

/** The schema of a primitive design type (String, Number, Boolean), else undefined. */
export function primitiveField(designType: unknown): Pick<FieldSpec, 'schema' | 'typeText'> | undefined {
  return PRIMITIVE_FIELDS.get(designType);
}

/**
 * The error for a field whose type only the build step can know. When a generated module was
 * imported but has no entry for the signature, the module is stale (the signature was added
 * or renamed since the build), and the error says so.
 */
export function schemaMissing(signature: string, field: string, reason: string): DspyError {
  const where = `${signature}.${field}`;
  const built = Object.keys(registeredManifest().signatures);
  const stale = built.length > 0 && !manifestSignature(signature);
  const staleText = stale
    ? ` The imported generated module is stale: it registers ${built.length} signature(s) but not ${signature}, which was added or renamed after the last \`dspy-ts build\`.`
    : '';
  return new DspyError(
    'SCHEMA_MISSING',
    `No JSON Schema for ${where}: ${reason}${staleText} Primitive types (string, number, boolean) work from decorator metadata only when the compiler emits it (tsc with emitDecoratorMetadata).`,
    {
      details: {
        where,
        signature,
        field,
        stale,
        fix: stale
          ? 'Re-run `dspy-ts build` (or keep `dspy-ts build --watch` running) and restart.'
          : 'Run `dspy-ts build` and import the generated module once at start-up (it registers every schema).',
      },
    },
  );
}

/** Names of the fields whose role or order differ between the decorators and the manifest. */
export function manifestDifferences(
  entry: ManifestSignature,
  inputs: readonly string[],
  outputs: readonly string[],
): string[] {
  const here = new Map<string, string>([
    ...inputs.map((n): [string, string] => [n, 'input']),
    ...outputs.map((n): [string, string] => [n, 'output']),
  ]);
  const there = new Map<string, string>([
    ...entry.inputs.map((f): [string, string] => [f.name, 'input']),
    ...entry.outputs.map((f): [string, string] => [f.name, 'output']),
  ]);
  const diffs: string[] = [];
  for (const [name, role] of here) {
    const other = there.get(name);
    if (!other) diffs.push(`${name} (${role} in the code, absent from the manifest)`);
    else if (other !== role) diffs.push(`${name} (${role} in the code, ${other} in the manifest)`);
  }
  for (const [name, role] of there) {
    if (!here.has(name)) diffs.push(`${name} (${role} in the manifest, absent from the code)`);
  }
  const sameOrder = (a: readonly string[], b: readonly string[]) => a.join(',') === b.join(',');
  if (
    diffs.length === 0 &&
    !sameOrder(
      inputs,
      entry.inputs.map((f) => f.name),
    )
  ) {
    diffs.push(
      `input order (${inputs.join(', ')} in the code, ${entry.inputs.map((f) => f.name).join(', ')} in the manifest)`,
    );
  }
  if (
    diffs.length === 0 &&
    !sameOrder(
      outputs,
      entry.outputs.map((f) => f.name),
    )
  ) {
    diffs.push(
      `output order (${outputs.join(', ')} in the code, ${entry.outputs.map((f) => f.name).join(', ')} in the manifest)`,
    );
  }
  return diffs;
}

/** The error for a manifest entry that no longer matches the code. */
export function manifestStale(entry: ManifestSignature, diffs: readonly string[]): DspyError {
  const where = `signature ${entry.name}${entry.location ? ` (${entry.location})` : ''}`;
  return new DspyError(
    'MANIFEST_STALE',
    `The generated manifest is stale for ${where}: ${diffs.join('; ')}.`,
    {
      details: {
        where,
        signature: entry.name,
        fields: diffs,
        fix: 'Re-run `dspy-ts build` (or keep `dspy-ts build --watch` running) and restart.',
      },
    },
  );
}
