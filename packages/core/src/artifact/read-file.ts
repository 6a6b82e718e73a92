import { DspyError } from '../errors.js';
import { nodeBuiltin } from '../runtime/node-builtins.js';
import { validateArtifact } from './artifact.js';
import { mediaFolderOf, NO_FS_FIX } from './io.js';
import { type ArtifactMediaResolver, MEDIA_FILE_NAME, mediaSites } from './media-sites.js';
import { loadArtifactMedia, mayHoldMedia } from './media-support.js';
import { parseJsonSafely } from './safe-json.js';
import type { Artifact } from './types.js';

// Loading an artifact by its path (loaded by io.ts's loadArtifact on first use of a path).

/** `loadArtifact(path)`: reads, parses and validates the file, then reads its media folder. */
export async function loadArtifactFile(path: string): Promise<Artifact> {
  const text = await readText(path);
  const value = parseJsonSafely(text, path);
  if (mayHoldMedia(value)) await loadArtifactMedia();
  validateArtifact(value, path);
  if (mediaSites(value).length === 0) return value;
  const folder = mediaFolderOf(path);
  const { resolveArtifactMedia } = await import('./media-files.js');
  return resolveArtifactMedia(
    value,
    path,
    folderResolver(folder),
    (file) => `media file '${folder}/${file}'`,
  );
}

/**
 * Reads `<folder>/<file>` for a media reference already checked to be `<sha256>.<ext>`: only a
 * regular file directly in the folder (never a link, a folder, or a path outside it).
 */
function folderResolver(folder: string): ArtifactMediaResolver {
  return async (file) => {
    const at = `media file '${folder}/${file}'`;
    const fs = nodeBuiltin('node:fs', at, 'ARTIFACT_IO', NO_FS_FIX).promises;
    const { join, dirname } = nodeBuiltin('node:path', at, 'ARTIFACT_IO', NO_FS_FIX);
    const path = join(folder, file);
    if (!MEDIA_FILE_NAME.test(file) || dirname(path) !== join(folder)) {
      throw new DspyError(
        'ARTIFACT_INVALID',
        `${at}: media references are '<sha256>.<ext>' inside the artifact's media folder.`,
        {
          details: { where: at, fix: 'Save the program again; never edit media references by hand.' },
        },
      );
    }
    const info = await fs.lstat(path);
    if (!info.isFile()) {
      throw new DspyError(
        'ARTIFACT_INVALID',
        `${at} is not a regular file (a link or a folder), so it is not read.`,
        {
          details: {
            where: at,
            fix: "Copy the media files themselves into the artifact's media folder, not links to them.",
          },
        },
      );
    }
    return fs.readFile(path);
  };
}

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
