import 'reflect-metadata/lite';
import { DspyError } from '../errors.js';
import { manifestDifferences, manifestStale, primitiveField, schemaMissing } from './field-schema.js';
import type { ManifestSignature } from './manifest.js';
import { type FieldMeta, listOf, META, signatureOptionsOf, throwPendingMisuse } from './metadata.js';
import { manifestGeneration, manifestSignature } from './registry.js';
import { type FieldSpec, SignatureSpec } from './spec.js';

/** The spec of a class signature: decorator metadata merged with the build step's manifest. */

const cache = new WeakMap<Function, { generation: number; spec: SignatureSpec<object, object> }>();

/** Decorator desc/prefix win over the manifest's JSDoc; undefined values are left out. */
export function withDecoratorText(base: FieldSpec, meta: { desc?: string; prefix?: string }): FieldSpec {
  const description = meta.desc ?? base.description;
  const prefix = meta.prefix ?? base.prefix;
  const { description: _d, prefix: _p, ...rest } = base;
  return {
    ...rest,
    ...(description !== undefined ? { description } : {}),
    ...(prefix !== undefined ? { prefix } : {}),
  };
}

function fieldSpec(
  ctor: Function,
  name: string,
  meta: FieldMeta,
  entry: ManifestSignature | undefined,
): FieldSpec {
  const fromManifest = entry
    ? [...entry.inputs, ...entry.outputs].find((f) => f.name === meta.key)
    : undefined;
  if (fromManifest) return withDecoratorText(fromManifest, meta);
  const designType: unknown = Reflect.getMetadata('design:type', ctor.prototype as object, meta.key);
  const prim = primitiveField(designType);
  if (!prim) {
    const reason =
      designType === undefined
        ? 'no manifest entry and no design:type metadata.'
        : `no manifest entry, and design:type ${String((designType as { name?: string }).name)} is not a primitive.`;
    throw schemaMissing(name, meta.key, reason);
  }
  return withDecoratorText({ name: meta.key, ...prim }, meta);
}

function buildClassSpec(ctor: Function): SignatureSpec<object, object> {
  throwPendingMisuse(ctor);
  const options = signatureOptionsOf(ctor);
  const className = ctor.name || '(anonymous class)';
  if (!options) {
    throw new DspyError(
      'SIGNATURE_INVALID',
      `specOf(${className}): the class has no @Signature() decorator.`,
      {
        details: {
          where: className,
          fix: `Decorate the class with @Signature() and its fields with @InputField() / @OutputField().`,
        },
      },
    );
  }
  const name = options.name ?? className;
  const fields = listOf(ctor, META.fields);
  const inputs = fields.filter((f) => f.role === 'input');
  const outputs = fields.filter((f) => f.role === 'output');
  const entry = manifestSignature(name);
  if (entry) {
    const diffs =
      entry.kind === 'class'
        ? manifestDifferences(
            entry,
            inputs.map((f) => f.key),
            outputs.map((f) => f.key),
          )
        : ['the manifest describes a method, the code a class'];
    if (diffs.length > 0) throw manifestStale(entry, diffs);
  }
  return new SignatureSpec({
    name,
    instructions: options.instructions ?? entry?.instructions ?? '',
    inputs: inputs.map((f) => fieldSpec(ctor, name, f, entry)),
    outputs: outputs.map((f) => fieldSpec(ctor, name, f, entry)),
  });
}

/** The (cached, immutable) spec of a `@Signature()` class. */
export function classSpecOf(ctor: Function): SignatureSpec<object, object> {
  const generation = manifestGeneration();
  const hit = cache.get(ctor);
  if (hit && hit.generation === generation) return hit.spec;
  const spec = buildClassSpec(ctor);
  cache.set(ctor, { generation, spec });
  return spec;
}
