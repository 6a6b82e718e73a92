import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Artifact, loadArtifact } from '@dspy-ts/core';
import { usageError } from './errors.js';
import { type ProgramRef, parseProgramRef } from './program.js';

/** Reads an artifact file, with a usage error when it does not exist. */
export async function readArtifact(path: string): Promise<{ artifact: Artifact; file: string }> {
  const file = resolve(path);
  if (!existsSync(file)) {
    throw usageError(
      `artifact not found: ${path}`,
      file,
      'Check the path, or create it with dspy-ts compile ... --out <file>.',
    );
  }
  return { artifact: await loadArtifact(file), file };
}

/** The program module recorded by `dspy-ts compile` in an artifact's provenance, if any. */
export function recordedProgram(artifact: Artifact, artifactFile: string): ProgramRef | undefined {
  const rec = (artifact.provenance as { program?: { module?: unknown; export?: unknown } } | undefined)
    ?.program;
  if (!rec || typeof rec.module !== 'string' || typeof rec.export !== 'string') return undefined;
  return { module: resolve(dirname(artifactFile), rec.module), exportName: rec.export };
}

/** The program for an artifact: `--program module#Export`, else the one its provenance records. */
export function programForArtifact(
  flag: string | undefined,
  artifact: Artifact,
  artifactFile: string,
): ProgramRef {
  if (flag) return parseProgramRef(flag);
  const recorded = recordedProgram(artifact, artifactFile);
  if (!recorded) {
    throw usageError(
      `${artifactFile} does not record its program's module, and an artifact holds no code`,
      '--program',
      'Pass --program <module path>#<export>, e.g. --program src/triage.ts#Triage.',
    );
  }
  return recorded;
}
