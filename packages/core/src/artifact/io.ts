import { readFile } from 'node:fs/promises';
import { DspyError } from '../errors.js';
import { type ToArtifactOptions, toArtifact, validateArtifact } from './artifact.js';
import { writeFileAtomic } from './atomic.js';
import { parseJsonSafely } from './safe-json.js';
import type { Artifact } from './types.js';

/**
 * Writes the artifact of `program` to `path` atomically (temp file, then rename) and returns it.
 *
 * @example
 * ```ts
 * await saveProgram(compiled, 'qa.artifact.json', { provenance: { metric: 'exactMatch' } });
 * ```
 */
export async function saveProgram(
  program: object,
  path: string,
  options: ToArtifactOptions = {},
): Promise<Artifact> {
  const artifact = toArtifact(program, options);
  await writeFileAtomic(path, `${JSON.stringify(artifact, null, 2)}\n`);
  return artifact;
}

/**
 * Reads and validates an artifact: a file path, or an already parsed object. Never evaluates
 * code; rejects `__proto__` keys (they never set a prototype) and data nested more than
 * 256 levels; a corrupt file is `ARTIFACT_INVALID` naming the file, line and column.
 *
 * @example
 * ```ts
 * const artifact = await loadArtifact('qa.artifact.json');
 * ```
 */
export async function loadArtifact(pathOrArtifact: unknown): Promise<Artifact> {
  if (typeof pathOrArtifact !== 'string') {
    validateArtifact(pathOrArtifact, 'artifact object');
    return pathOrArtifact;
  }
  const text = await readText(pathOrArtifact);
  const value = parseJsonSafely(text, pathOrArtifact);
  validateArtifact(value, pathOrArtifact);
  return value;
}

/** Synchronous twin of {@link loadArtifact} for an already read text. */
export function parseArtifact(text: string, where = 'artifact'): Artifact {
  const value = parseJsonSafely(text, where);
  validateArtifact(value, where);
  return value;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const missing = code === 'ENOENT';
    throw new DspyError(
      'ARTIFACT_IO',
      missing
        ? `Artifact file '${path}' does not exist.`
        : `Could not read artifact '${path}': ${String(err)}`,
      {
        cause: err,
        details: {
          where: path,
          fix: missing
            ? 'Check the path (relative paths resolve from the working directory), or compile and save the program first.'
            : 'Check the file permissions.',
        },
      },
    );
  }
}
