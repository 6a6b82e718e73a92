import { DspyError } from '../errors.js';
import { toBase64 } from '../media/bytes.js';
import { type ArtifactMediaResolver, type MediaSite, mediaSites, type StoredMedia } from './media-sites.js';
import {
  checkBytes,
  describeSite,
  inlineBytes,
  invalid,
  MEDIA_FILES_FIX,
  mediaFileName,
  rebuild,
  unresolved,
  verified,
  verifyInlineMedia,
} from './media-values.js';
import type { Artifact } from './types.js';

// Media stored in files beside an artifact: reading them on load, writing them on save. Loaded
// by the asynchronous load and save paths only for artifacts that have such files.

/**
 * The artifact with every media file read (through `resolver`), verified and stored inline, and
 * every inline value verified. Without file media, the same artifact object.
 */
export async function resolveArtifactMedia(
  artifact: Artifact,
  where: string,
  resolver: ArtifactMediaResolver | undefined,
  describeFile: (file: string) => string = (file) => `media file '${file}'`,
): Promise<Artifact> {
  const sites = verifyInlineMedia(artifact, where, 'keep').filter((s) => s.value.file !== undefined);
  if (sites.length === 0) return artifact;
  const first = sites[0] as MediaSite;
  if (!resolver) throw unresolved(first, where);
  const replace = new Map<object, unknown>();
  for (const site of sites) {
    const file = String(site.value.file);
    const source = describeFile(file);
    let read: Uint8Array | ArrayBuffer;
    try {
      read = await resolver(file, site.value as unknown as StoredMedia);
    } catch (err) {
      if (err instanceof DspyError) {
        throw new DspyError(err.code, `${where}: ${describeSite(site)}: ${err.message}`, {
          cause: err,
          details: err.details,
        });
      }
      const missing = (err as { code?: unknown }).code === 'ENOENT';
      throw invalid(
        `${where}: ${describeSite(site)}: ${source} ${missing ? 'is missing' : `could not be read: ${err instanceof Error ? err.message : String(err)}`}.`,
        source,
        missing
          ? 'Media files are saved beside the artifact: copy the media folder along with the artifact, or save the program again.'
          : MEDIA_FILES_FIX,
        err,
      );
    }
    if (!(read instanceof Uint8Array) && !(read instanceof ArrayBuffer)) {
      throw invalid(
        `${where}: ${describeSite(site)}: the media resolver gave ${typeof read} for '${file}', not bytes.`,
        source,
        'Return a Uint8Array or an ArrayBuffer of the file (e.g. new Uint8Array(await response.arrayBuffer())).',
      );
    }
    // A plain Uint8Array view (not a Node Buffer, whose slice() would share memory).
    const view =
      read instanceof Uint8Array
        ? new Uint8Array(read.buffer, read.byteOffset, read.byteLength)
        : new Uint8Array(read);
    const bytes = checkBytes(site, view, source, where);
    const { file: _file, ...rest } = site.value;
    const inline = { ...rest, data: toBase64(bytes) };
    verified.set(inline, { bytes, sha256: site.value.sha256 });
    replace.set(site.value, inline);
  }
  return { ...artifact, predictors: rebuild(artifact, replace) };
}

/**
 * The artifact with inline media above `limit` bytes moved out to files (`<sha256>.<ext>`), and
 * the bytes of each file to write. Media already stored by file are refused (their bytes are not
 * at hand).
 */
export function externalizeMedia(
  artifact: Artifact,
  limit: number,
  where: string,
): { artifact: Artifact; files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  const replace = new Map<object, unknown>();
  for (const site of mediaSites(artifact)) {
    const v = site.value;
    if (v.file !== undefined) {
      throw invalid(
        `${where}: ${describeSite(site)} refers to the media file '${String(v.file)}' whose bytes are not loaded.`,
        `${where} ${describeSite(site)}`,
        'Pass an artifact from toArtifact(program) or loadArtifact(...) (both hold media inline), not one parsed by hand.',
      );
    }
    if (v.data === undefined || (v.byteLength as number) <= limit) continue;
    const bytes = inlineBytes(site, where);
    const name = mediaFileName(String(v.sha256), String(v.mimeType));
    files.set(name, bytes);
    const { data: _data, ...rest } = v;
    replace.set(v, { ...rest, file: name });
  }
  if (replace.size === 0) return { artifact, files };
  return { artifact: { ...artifact, predictors: rebuild(artifact, replace) }, files };
}
