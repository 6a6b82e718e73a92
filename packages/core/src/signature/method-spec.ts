import 'reflect-metadata/lite';
import { DspyError } from '../errors.js';
import { withDecoratorText } from './class-spec.js';
import { manifestDifferences, manifestStale, primitiveField, schemaMissing } from './field-schema.js';
import type { ManifestSignature } from './manifest.js';
import { declaringClass, type MethodLink, methodLinkOf, throwPendingMisuse } from './metadata.js';
import { notSignatureMethod } from './method-list.js';
import { paramNamesOf } from './param-names.js';
import { manifestGeneration, manifestSignature, registeredManifest } from './registry.js';
import { SignatureSpec } from './spec.js';

/**
 * Specs of `@Signature()` methods: parameters are inputs, the awaited return type's properties
 * outputs. Only reached through `methodSpecs` (a dynamic import on the web entry, registered at
 * start-up by the server entry), so apps without method signatures never load it.
 */

const cache = new WeakMap<MethodLink, { generation: number; spec: SignatureSpec<object, object> }>();

function signatureName(link: MethodLink): string {
  const { meta } = link;
  if (meta.options.name) return meta.options.name;
  if (link.owner) return `${link.owner.name}.${meta.key}`;
  const candidates = Object.values(registeredManifest().signatures).filter(
    (s) => s.kind === 'method' && s.name.endsWith(`.${meta.key}`),
  );
  if (candidates.length === 1) return (candidates[0] as ManifestSignature).name;
  const where = `@Signature() method ${meta.key}`;
  throw new DspyError('SIGNATURE_INVALID', `${where}: its class is not known yet.`, {
    details: { where, fix: `Use specOf(TheClass, '${meta.key}'), or create an instance of the class first.` },
  });
}

function buildMethodSpec(link: MethodLink): SignatureSpec<object, object> {
  if (link.owner) throwPendingMisuse(link.owner);
  const { meta } = link;
  const name = signatureName(link);
  const params = paramNamesOf(meta.original, name);
  const entry = manifestSignature(name);
  if (entry) {
    const diffs =
      entry.kind === 'method'
        ? manifestDifferences(
            entry,
            params.map((p) => p.name),
            entry.outputs.map((f) => f.name),
          )
        : ['the manifest describes a class, the code a method'];
    if (diffs.length > 0) throw manifestStale(entry, diffs);
    return new SignatureSpec({
      name,
      instructions: meta.options.instructions ?? entry.instructions,
      inputs: entry.inputs.map((f) => withDecoratorText(f, {})),
      outputs: entry.outputs,
    });
  }
  const types = link.owner
    ? (Reflect.getMetadata('design:paramtypes', link.owner.prototype as object, meta.key) as
        | unknown[]
        | undefined)
    : undefined;
  // Parameter types could come from design:paramtypes, but the outputs cannot: report the first gap.
  params.forEach((p, i) => {
    if (p.rest || !primitiveField(types?.[i])) {
      throw schemaMissing(
        name,
        p.name,
        types
          ? 'its parameter type is not a primitive.'
          : 'no manifest entry and no design:paramtypes metadata.',
      );
    }
  });
  throw schemaMissing(
    name,
    '(return type)',
    'the outputs come from the awaited return type, which only the build step can read.',
  );
}

/** The (cached, immutable) spec of a `@Signature()` method, given its function on the prototype. */
export function methodSpecOf(method: Function, ownerHint?: Function): SignatureSpec<object, object> {
  const link = methodLinkOf(method);
  if (!link) {
    throw notSignatureMethod(method);
  }
  if (!link.owner && ownerHint) link.owner = declaringClass(ownerHint, link.meta) ?? ownerHint;
  const generation = manifestGeneration();
  const hit = cache.get(link);
  if (hit && hit.generation === generation) return hit.spec;
  const spec = buildMethodSpec(link);
  cache.set(link, { generation, spec });
  return spec;
}
