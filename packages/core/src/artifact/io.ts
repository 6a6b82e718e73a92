import { DspyError } from '../errors.js';
import { validateArtifact } from './artifact.js';
import { type ArtifactMediaResolver, mediaSites } from './media-sites.js';
import { artifactMediaCode, loadArtifactMedia, mayHoldMedia } from './media-support.js';
import { parseJsonSafely } from './safe-json.js';
import type { ToArtifactOptions } from './to-artifact.js';
import type { Artifact } from './types.js';

/** Options of {@link saveArtifact} (and of `saveProgram` and `Module.save`). */
export interface SaveArtifactOptions {
  /**
   * Media (`Image`, `Audio`, `File` in demos) of at most this many bytes are stored inline in the
   * artifact; larger ones go to `<artifact>.media/<sha256>.<ext>` beside it. Default 65536
   * (64 kB); `Infinity` keeps every media value inline, `0` puts every one in a file.
   */
  readonly mediaInlineLimit?: number;
}

/** Options of {@link loadArtifact} (and of `Module.load`). */
export interface LoadArtifactOptions {
  /**
   * Reads the media files of an artifact given as an object (where there is no artifact path
   * to find its media folder from, e.g. in a browser): `(file) => bytes`. Loading by path reads
   * the media folder beside the file and ignores this.
   */
  readonly media?: ArtifactMediaResolver;
}

/** Options of {@link saveProgram}: what goes into the artifact, and how it is written. */
export type SaveProgramOptions = ToArtifactOptions & SaveArtifactOptions;

/**
 * The media folder of an artifact file: its path without a trailing `.json`, plus `.media`
 * (`out/qa.artifact.json` → `out/qa.artifact.media`).
 */
export function mediaFolderOf(path: string): string {
  return `${path.replace(/\.json$/i, '')}.media`;
}

/**
 * Writes an artifact (as {@link toArtifact} or {@link loadArtifact} give it) to `path`. Media
 * above `mediaInlineLimit` bytes are written first, each atomically, as content-addressed files
 * `<sha256>.<ext>` in the artifact's media folder ({@link mediaFolderOf}); then the JSON is
 * written atomically (temp file, then rename); then files of the folder no longer referred to
 * are removed. A reader never sees JSON that refers to a file not yet written.
 *
 * @example
 * ```ts
 * await saveArtifact(toArtifact(reader), 'out/reader.json', { mediaInlineLimit: 16_384 });
 * ```
 */
export async function saveArtifact(
  artifact: Artifact,
  path: string,
  options: SaveArtifactOptions = {},
): Promise<void> {
  // The save path (atomic writes, media files, secret scrubbing) loads on first save only.
  const save = await import('./save.js');
  await save.saveArtifact(artifact, path, options);
}

/**
 * Writes the artifact of `program` to `path` and returns it: {@link toArtifact}, then
 * {@link saveArtifact} (media above `mediaInlineLimit` beside it, JSON written atomically).
 *
 * @example
 * ```ts
 * await saveProgram(compiled, 'qa.artifact.json', { provenance: { metric: 'exactMatch' } });
 * ```
 */
export async function saveProgram(
  program: object,
  path: string,
  options: SaveProgramOptions = {},
): Promise<Artifact> {
  const save = await import('./save.js');
  return save.saveProgram(program, path, options);
}

/**
 * Reads and validates an artifact: a file path, or an already parsed object. Never evaluates
 * code; rejects `__proto__` keys (they never set a prototype) and data nested more than
 * 256 levels; a corrupt file is `ARTIFACT_INVALID` naming the file, line and column.
 * Media values are verified by SHA-256; media files are read from the artifact's media folder
 * (by path) or through `options.media` (an object), and the artifact returned holds every media
 * value inline. A tampered, missing or misnamed media file is `ARTIFACT_INVALID` naming the
 * demo, the field and the file.
 *
 * @example
 * ```ts
 * const artifact = await loadArtifact('qa.artifact.json');
 * ```
 */
export async function loadArtifact(
  pathOrArtifact: unknown,
  options: LoadArtifactOptions = {},
): Promise<Artifact> {
  if (options.media !== undefined && typeof options.media !== 'function') {
    throw new DspyError(
      'OPTION_INVALID',
      `loadArtifact: 'media' must be a function (file) => bytes, not ${typeof options.media}.`,
      {
        details: {
          where: 'loadArtifact({ media })',
          fix: 'Pass (file) => bytes, e.g. async (file) => new Uint8Array(await (await fetch(new URL(file, base))).arrayBuffer()).',
        },
      },
    );
  }
  if (typeof pathOrArtifact !== 'string') {
    if (mayHoldMedia(pathOrArtifact)) await loadArtifactMedia();
    validateArtifact(pathOrArtifact, 'artifact object');
    const sites = mediaSites(pathOrArtifact);
    if (sites.length === 0) return pathOrArtifact;
    if (sites.every((site) => site.value.file === undefined)) {
      artifactMediaCode('artifact object').verifyInlineMedia(pathOrArtifact, 'artifact object', 'keep');
      return pathOrArtifact;
    }
    // Media in files: the code that reads them loads on first use.
    const { resolveArtifactMedia } = await import('./media-files.js');
    return resolveArtifactMedia(pathOrArtifact, 'artifact object', options.media);
  }
  // Reading files (Node, Bun, Deno) loads on first use: a web app passes objects or text.
  const { loadArtifactFile } = await import('./read-file.js');
  return loadArtifactFile(pathOrArtifact);
}

/**
 * Parses and validates an artifact from its JSON text, synchronously (the way to load one on a
 * runtime without a file system: a bundled or fetched string). Same checks as
 * {@link loadArtifact}, inline media verified by SHA-256; `where` names the source in errors.
 * An artifact with media stored in files is refused here: load it with
 * `loadArtifact(JSON.parse(text), { media: resolver })`. On the web entry, an artifact with media
 * needs `await loadArtifactMedia()` first (the server entry loads that code at start-up).
 *
 * @example
 * ```ts
 * const program = await QA.load(parseArtifact(await (await fetch('/qa.json')).text(), 'qa.json'));
 * ```
 */
export function parseArtifact(text: string, where = 'artifact'): Artifact {
  const value = parseJsonSafely(text, where);
  validateArtifact(value, where);
  if (mediaSites(value).length > 0) artifactMediaCode(where).verifyInlineMedia(value, where, 'refuse');
  return value;
}

/** What to do where there is no file system (browsers, workerd). */
export const NO_FS_FIX =
  'Bundle or fetch the artifact and pass it parsed (Program.load(object), loadArtifact(object)) or as text (parseArtifact(text)); reading and writing paths needs a file system (Node, Bun, Deno).';
