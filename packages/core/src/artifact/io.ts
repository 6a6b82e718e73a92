import { DspyError } from '../errors.js';
import { nodeBuiltin } from '../runtime/node-builtins.js';
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

/**
 * Parses and validates an artifact from its JSON text, synchronously (the way to load one on a
 * runtime without a file system: a bundled or fetched string). Same checks as
 * {@link loadArtifact}; `where` names the source in errors.
 *
 * @example
 * ```ts
 * const program = await QA.load(parseArtifact(await (await fetch('/qa.json')).text(), 'qa.json'));
 * ```
 */
export function parseArtifact(text: string, where = 'artifact'): Artifact {
  const value = parseJsonSafely(text, where);
  validateArtifact(value, where);
  return value;
}

/** What to do where there is no file system (browsers, workerd). */
export const NO_FS_FIX =
  'Bundle or fetch the artifact and pass it parsed (Program.load(object), loadArtifact(object)) or as text (parseArtifact(text)); reading and writing paths needs a file system (Node, Bun, Deno).';

async function readText(path: string): Promise<string> {
  const fs = nodeBuiltin('node:fs', `loadArtifact('${path}')`, 'ARTIFACT_IO', NO_FS_FIX);
  try {
    return await fs.promises.readFile(path, 'utf8');
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
