import {
  type Artifact,
  type ArtifactProvenance,
  type ModuleSaveOptions,
  type SaveArtifactOptions,
  saveArtifact,
  toArtifact,
} from '@dspy-ts/core';

/** Where a compiled program came from (core's artifact provenance, plus `stoppedBy`). */
export type Provenance = ArtifactProvenance & {
  /** Why the compile run ended (`completed`, `budget`, `stopAtScore`). */
  readonly stoppedBy?: string;
};

const attached = new WeakMap<object, Provenance>();
const PROVENANCE_KEY = 'provenance';

/**
 * Attaches provenance to a compiled program so that its `save(path)` writes it into the
 * artifact. Unless the provenance has a `createdAt`, the saved artifact has none either, so
 * the same seed, data and cached LM give a byte-identical file. Clones keep the provenance.
 */
export function attachProvenance(program: object, provenance: Provenance): void {
  attached.set(program, provenance);
  Object.defineProperty(program, PROVENANCE_KEY, {
    value: provenance,
    enumerable: false,
    writable: true,
    configurable: true,
  });
  Object.defineProperty(program, 'save', {
    value: saveWithProvenance,
    enumerable: false,
    writable: true,
    configurable: true,
  });
}

/** The provenance attached by an optimizer (also on clones), if any. */
export function provenanceOf(program: object): Provenance | undefined {
  const own = (program as { [PROVENANCE_KEY]?: Provenance })[PROVENANCE_KEY];
  return attached.get(program) ?? own;
}

/**
 * The artifact of a compiled program with its provenance (no `createdAt` unless the
 * provenance has one). `program.save(path)` writes exactly this.
 */
export function compiledArtifact(program: object, opts: ModuleSaveOptions = {}): Artifact {
  const given = (opts as { provenance?: ArtifactProvenance }).provenance;
  const provenance: Provenance = { ...(provenanceOf(program) ?? {}), ...(given ?? {}) };
  const artifact = toArtifact(program, { ...opts, provenance });
  if (provenance.createdAt !== undefined || !artifact.provenance) return artifact;
  const { createdAt: _omit, ...rest } = artifact.provenance;
  return { ...artifact, provenance: rest };
}

async function saveWithProvenance(this: object, path: string, opts: ModuleSaveOptions = {}): Promise<void> {
  // Media in demos above the inline limit go to files beside the artifact, as Module.save does.
  await saveArtifact(compiledArtifact(this, opts), path, opts as SaveArtifactOptions);
}
