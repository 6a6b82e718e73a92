import { DspyError } from '../errors.js';
import { nodeBuiltin } from '../runtime/node-builtins.js';
import { logger } from '../settings.js';
import { validateArtifact } from './artifact.js';
import { writeFileAtomic } from './atomic.js';
import { mediaFolderOf, NO_FS_FIX, type SaveArtifactOptions, type SaveProgramOptions } from './io.js';
import { externalizeMedia } from './media-files.js';
import { DEFAULT_MEDIA_INLINE_LIMIT, MEDIA_FILE_NAME } from './media-sites.js';
import { loadArtifactMedia } from './media-support.js';
import { toArtifact } from './to-artifact.js';
import type { Artifact } from './types.js';

// Writing artifacts (loaded by io.ts's saveArtifact and saveProgram on first use): an app that
// only loads artifacts never loads atomic writes, media files or secret scrubbing.

function inlineLimit(options: SaveArtifactOptions): number {
  const limit = options.mediaInlineLimit ?? DEFAULT_MEDIA_INLINE_LIMIT;
  if (typeof limit === 'number' && limit >= 0 && !Number.isNaN(limit)) return limit;
  throw new DspyError(
    'OPTION_INVALID',
    `saveArtifact: mediaInlineLimit must be a number of bytes >= 0, not ${String(limit)}.`,
    {
      details: {
        where: 'saveArtifact({ mediaInlineLimit })',
        fix: 'Pass a byte count (65536 is the default), Infinity to keep every media value inline, or 0 to store every one in a file.',
      },
    },
  );
}

/** `saveArtifact` of io.ts, which documents it. */
export async function saveArtifact(
  artifact: Artifact,
  path: string,
  options: SaveArtifactOptions = {},
): Promise<void> {
  const limit = inlineLimit(options);
  await loadArtifactMedia();
  validateArtifact(artifact, 'saveArtifact');
  const out = externalizeMedia(artifact, limit, `saveArtifact('${path}')`);
  const folder = mediaFolderOf(path);
  if (out.files.size > 0) {
    const { join } = nodeBuiltin('node:path', `saveArtifact('${path}')`, 'ARTIFACT_IO', NO_FS_FIX);
    for (const [name, bytes] of out.files) await writeFileAtomic(join(folder, name), bytes);
  }
  await writeFileAtomic(path, `${JSON.stringify(out.artifact, null, 2)}\n`);
  await pruneMediaFolder(folder, new Set(out.files.keys()));
}

/** Removes the media files (`<sha256>.<ext>`) of `folder` not in `keep`, then the folder if empty. */
async function pruneMediaFolder(folder: string, keep: ReadonlySet<string>): Promise<void> {
  const fs = nodeBuiltin('node:fs', `saveArtifact: '${folder}'`, 'ARTIFACT_IO', NO_FS_FIX).promises;
  const { join } = nodeBuiltin('node:path', `saveArtifact: '${folder}'`, 'ARTIFACT_IO', NO_FS_FIX);
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch {
    return;
  }
  try {
    for (const name of names) {
      if (MEDIA_FILE_NAME.test(name) && !keep.has(name)) await fs.rm(join(folder, name), { force: true });
    }
    if (keep.size === 0 && (await fs.readdir(folder)).length === 0) await fs.rmdir(folder);
  } catch (err) {
    logger().warn(`saveArtifact: could not remove old media files from '${folder}': ${String(err)}`);
  }
}

/** `saveProgram` of io.ts, which documents it. */
export async function saveProgram(
  program: object,
  path: string,
  options: SaveProgramOptions = {},
): Promise<Artifact> {
  await loadArtifactMedia();
  const artifact = toArtifact(program, options);
  await saveArtifact(artifact, path, options);
  return artifact;
}
