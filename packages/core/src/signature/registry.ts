import { type PrecompiledValidator, registerPrecompiled } from '../adapters/validate.js';
import { DspyError } from '../errors.js';
import type { Manifest, ManifestSignature, ManifestTool } from './manifest.js';

/**
 * The run-time store of build-step manifests. It lives on
 * `globalThis[Symbol.for('dspy-ts.manifest')]`, so two copies of `@dspy-ts/core` in one
 * process (a linked package, a bundled dependency) see the same registrations.
 */

interface ManifestStore {
  generation: number;
  sourceHashes: Record<string, string>;
  signatures: Record<string, ManifestSignature>;
  tools: Record<string, ManifestTool>;
}

const STORE_KEY = Symbol.for('dspy-ts.manifest');

function store(): ManifestStore {
  const g = globalThis as { [STORE_KEY]?: ManifestStore };
  g[STORE_KEY] ??= { generation: 0, sourceHashes: {}, signatures: {}, tools: {} };
  return g[STORE_KEY];
}

function invalid(problem: string): never {
  throw new DspyError('MANIFEST_STALE', `registerManifest: ${problem}`, {
    details: {
      where: 'registerManifest',
      fix: 'Re-run `dspy-ts build` so the generated module matches this version of @dspy-ts/core.',
    },
  });
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function checkShape(manifest: unknown): asserts manifest is Manifest {
  if (!isRecord(manifest)) invalid('expected a manifest object.');
  if (manifest.version !== 1)
    invalid(`unsupported manifest version ${String(manifest.version)} (expected 1).`);
  for (const k of ['sourceHashes', 'signatures', 'tools'] as const) {
    if (!isRecord(manifest[k])) invalid(`'${k}' must be an object.`);
  }
  for (const [name, sig] of Object.entries(manifest.signatures as Record<string, unknown>)) {
    if (!isRecord(sig) || !Array.isArray(sig.inputs) || !Array.isArray(sig.outputs)) {
      invalid(`signature '${name}' must have 'inputs' and 'outputs' arrays.`);
    }
    if (sig.name !== name) invalid(`signature key '${name}' differs from its name '${String(sig.name)}'.`);
  }
}

/**
 * Registers what the build step extracted (JSON Schemas, JSDoc, hashes). The generated module
 * calls it once at import; later registrations replace entries of the same name, and every
 * cached spec is rebuilt.
 *
 * @example
 * ```ts
 * registerManifest({ version: 1, sourceHashes: {}, signatures: { QA: qaEntry }, tools: {} });
 * ```
 */
export function registerManifest(manifest: Manifest): void {
  checkShape(manifest);
  const s = store();
  Object.assign(s.sourceHashes, manifest.sourceHashes);
  Object.assign(s.signatures, manifest.signatures);
  Object.assign(s.tools, manifest.tools);
  s.generation++;
}

/** The manifest entry of a signature (`QA`, `Service.classify`), if one was registered. */
export function manifestSignature(name: string): ManifestSignature | undefined {
  const s = store().signatures;
  return Object.hasOwn(s, name) ? s[name] : undefined;
}

/**
 * The manifest entry of a tool, by its qualified name (`lookup`, `Tools.lookup`) or, when
 * unambiguous, by the name the model sees.
 */
export function manifestTool(name: string): ManifestTool | undefined {
  const tools = store().tools;
  if (Object.hasOwn(tools, name)) return tools[name];
  const byToolName = Object.values(tools).filter((t) => t.toolName === name);
  return byToolName.length === 1 ? byToolName[0] : undefined;
}

/** Everything registered so far, merged (a snapshot). */
export function registeredManifest(): Manifest {
  const s = store();
  return {
    version: 1,
    sourceHashes: { ...s.sourceHashes },
    signatures: { ...s.signatures },
    tools: { ...s.tools },
  };
}

/** Counts registrations; specs cached under an older generation are rebuilt. */
export function manifestGeneration(): number {
  return store().generation;
}

/** Forgets every registered manifest (for tests and watch-mode reloads). */
export function clearManifests(): void {
  const s = store();
  s.sourceHashes = {};
  s.signatures = {};
  s.tools = {};
  s.generation++;
}

/**
 * The validators `dspy-ts build` precompiled (ajv's standalone code) for a manifest: per
 * signature, one per field (by field name); per tool, one for its parameters object.
 */
export interface PrecompiledValidators {
  readonly signatures?: Readonly<Record<string, Readonly<Record<string, PrecompiledValidator>>>>;
  readonly tools?: Readonly<Record<string, PrecompiledValidator>>;
}

/**
 * Registers the validators the build step compiled for `manifest`'s field and tool schemas, so
 * that predictions are validated without loading ajv (which stays the validator of every other
 * schema, loaded on first need). The generated module calls it right after `registerManifest`.
 *
 * @example
 * ```ts
 * registerValidators(manifest, { signatures: { QA: { answer: validateAnswer } } });
 * ```
 */
export function registerValidators(manifest: Manifest, validators: PrecompiledValidators): void {
  for (const [name, sig] of Object.entries(manifest.signatures)) {
    const fields = validators.signatures?.[name];
    if (!fields) continue;
    for (const field of [...sig.inputs, ...sig.outputs]) {
      const fn = Object.hasOwn(fields, field.name) ? fields[field.name] : undefined;
      if (typeof fn === 'function') registerPrecompiled(field.schema, fn);
    }
  }
  for (const [name, tool] of Object.entries(manifest.tools)) {
    const fn = validators.tools && Object.hasOwn(validators.tools, name) ? validators.tools[name] : undefined;
    if (typeof fn === 'function') registerPrecompiled(tool.parameters, fn);
  }
}
