import type { Demo } from '../adapters/types.js';
import { DspyError } from '../errors.js';
import { fromBase64 } from '../media/decode.js';
import { Media } from '../media/media.js';
import { type MediaKind, SUPPORTED_MIME_TYPES } from '../media/mime-types.js';
import { restoreMedia } from '../media/restore.js';
import type { PredictorState } from '../modules/types.js';
import { sha256HexOfBytes } from '../runtime/sha256.js';
import {
  isStored,
  MEDIA_FILE_NAME,
  MEDIA_KEY,
  type MediaSite,
  mediaSites,
  type StoredMedia,
} from './media-sites.js';
import { MAX_JSON_DEPTH } from './safe-json.js';
import type { Artifact } from './types.js';

/** The file extension of each supported MIME type, as media files beside an artifact are named. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'audio/wav': 'wav',
  'audio/mpeg': 'mp3',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};

/** The name of a media file beside an artifact: `<sha256>.<ext>`. */
export function mediaFileName(sha256: string, mimeType: string): string {
  return `${sha256}.${EXTENSIONS[mimeType] ?? 'bin'}`;
}

const SHA256 = /^[0-9a-f]{64}$/;
const KEYS = new Set([MEDIA_KEY, 'mimeType', 'sha256', 'byteLength', 'filename', 'data', 'file', 'url']);

/** Bytes already checked against their stored SHA-256, by stored value (no second decode or hash). */
export const verified = new WeakMap<object, { readonly bytes: Uint8Array; readonly sha256: unknown }>();

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The stored form of a media value: inline bytes, or its URL when no bytes are known. */
export function storeMedia(media: Media): StoredMedia {
  const filename = media.filename !== undefined ? { filename: media.filename } : {};
  const data = media.base64();
  if (data === undefined) return { $media: media.kind, ...filename, url: media.url ?? '' };
  return {
    $media: media.kind,
    mimeType: media.mimeType as string,
    sha256: media.sha256 as string,
    byteLength: media.byteLength as number,
    ...filename,
    data,
  };
}

// ---------------------------------------------------------------------------------------------
// Where a stored media value is: predictor, demo, field.

/** `predictor 'self' demo 0 field 'receipt'` (with `[1]` / `.page` below the field). */
export function describeSite(site: Pick<MediaSite, 'predictor' | 'demo' | 'path'>): string {
  const [field, ...rest] = site.path;
  const below = rest.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');
  return `predictor '${site.predictor}' demo ${site.demo} field '${String(field)}${below}'`;
}

/** What is wrong with the shape of a stored media value (empty when nothing is). */
export function storedMediaProblems(site: MediaSite): string[] {
  const v = site.value;
  const at = describeSite(site);
  const problems: string[] = [];
  const kind = v[MEDIA_KEY];
  if (kind !== 'image' && kind !== 'audio' && kind !== 'file') {
    return [`${at}: '$media' must be 'image', 'audio' or 'file', not ${JSON.stringify(kind)}`];
  }
  for (const key of Object.keys(v))
    if (!KEYS.has(key)) problems.push(`${at}: unknown media property '${key}'`);
  const where = (['data', 'file', 'url'] as const).filter((k) => v[k] !== undefined);
  if (where.length !== 1) {
    problems.push(
      `${at}: a media value has exactly one of 'data', 'file' or 'url' (here: ${where.join(', ') || 'none'})`,
    );
    return problems;
  }
  if (v.filename !== undefined && typeof v.filename !== 'string')
    problems.push(`${at}: 'filename' must be a string`);
  if (where[0] === 'url') {
    if (typeof v.url !== 'string' || !/^https?:\/\//i.test(v.url))
      problems.push(`${at}: 'url' must be an http(s) URL`);
    return problems;
  }
  const mime = v.mimeType;
  if (typeof mime !== 'string' || !SUPPORTED_MIME_TYPES[kind].includes(mime)) {
    problems.push(`${at}: 'mimeType' must be one of ${SUPPORTED_MIME_TYPES[kind].join(', ')}`);
  }
  if (typeof v.sha256 !== 'string' || !SHA256.test(v.sha256)) {
    problems.push(`${at}: 'sha256' must be 64 lowercase hex digits`);
  }
  if (typeof v.byteLength !== 'number' || !Number.isSafeInteger(v.byteLength) || v.byteLength < 0) {
    problems.push(`${at}: 'byteLength' must be a non-negative integer`);
  }
  if (where[0] === 'data' && typeof v.data !== 'string') problems.push(`${at}: 'data' must be base64 text`);
  if (where[0] === 'file') {
    const expected =
      typeof v.sha256 === 'string' && typeof mime === 'string' ? mediaFileName(v.sha256, mime) : undefined;
    if (typeof v.file !== 'string' || !MEDIA_FILE_NAME.test(v.file) || v.file !== expected) {
      problems.push(
        `${at}: 'file' must be exactly '<sha256>.<ext>' of the value (${expected ?? 'sha256 and mimeType first'}), not ${JSON.stringify(v.file)}: media files are only read from the artifact's own media folder`,
      );
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Saving: Media → stored values.

function ambiguous(where: string, at: string): DspyError {
  return new DspyError(
    'ARTIFACT_INVALID',
    `${where} ${at} is a plain object with a '${MEDIA_KEY}' key, which artifacts reserve for media.`,
    {
      details: {
        where: `${where} ${at}`,
        fix: `Rename the '${MEDIA_KEY}' key of that demo value (or give an Image, Audio or File value instead).`,
      },
    },
  );
}

/**
 * A predictor state whose demos hold stored media values instead of `Image`/`Audio`/`File`
 * (inline bytes or a URL), and how many it stored. Containers without media are kept as they are.
 */
export function storeDemoMedia(
  state: PredictorState,
  where: string,
): { state: PredictorState; media: number } {
  let media = 0;
  const ancestors = new Set<object>();
  const store = (value: unknown, at: string, depth: number): unknown => {
    if (value === null || typeof value !== 'object' || depth > MAX_JSON_DEPTH || ancestors.has(value)) {
      return value;
    }
    if (Media.isMedia(value)) {
      media++;
      return storeMedia(value);
    }
    const array = Array.isArray(value);
    if (!array && !isPlainObject(value)) return value;
    if (!array && Object.hasOwn(value, MEDIA_KEY)) throw ambiguous(where, at);
    ancestors.add(value);
    try {
      let changed = false;
      const entries = Object.entries(value).map(([k, v]): [string, unknown] => {
        const below = array ? `${at}[${k}]` : depth === 1 ? `${at} field '${k}'` : `${at}.${k}`;
        const out = store(v, below, depth + 1);
        if (out !== v) changed = true;
        return [k, out];
      });
      if (!changed) return value;
      return array ? entries.map(([, v]) => v) : Object.fromEntries(entries);
    } finally {
      ancestors.delete(value);
    }
  };
  const demos = state.demos.map((demo, i) => store(demo, `demo ${i}`, 1) as Demo);
  return { state: media > 0 ? { ...state, demos } : state, media };
}

// ---------------------------------------------------------------------------------------------
// Loading: checking bytes, reading files, reviving Media.

/** An `ARTIFACT_INVALID` error. */
export function invalid(message: string, where: string, fix: string, cause?: unknown): DspyError {
  return new DspyError('ARTIFACT_INVALID', message, {
    ...(cause !== undefined ? { cause } : {}),
    details: { where, fix },
  });
}

export const TAMPERED_FIX =
  'The media of this artifact were changed or corrupted after it was saved: restore them from the same save, or compile and save the program again.';

/** Checks `bytes` against the stored size and SHA-256, then remembers them as verified. */
export function checkBytes(site: MediaSite, bytes: Uint8Array, source: string, where: string): Uint8Array {
  const v = site.value;
  const at = `${where}: ${describeSite(site)}`;
  if (bytes.byteLength !== v.byteLength) {
    throw invalid(
      `${at}: ${source} has ${bytes.byteLength} bytes, but ${String(v.byteLength)} were saved (tampered or truncated).`,
      source,
      TAMPERED_FIX,
    );
  }
  const actual = sha256HexOfBytes(bytes);
  if (actual !== v.sha256) {
    throw invalid(
      `${at}: ${source} does not match its SHA-256 (saved ${String(v.sha256).slice(0, 16)}…, found ${actual.slice(0, 16)}…): it was tampered with or corrupted.`,
      source,
      TAMPERED_FIX,
    );
  }
  verified.set(v, { bytes, sha256: v.sha256 });
  return bytes;
}

export function inlineBytes(site: MediaSite, where: string): Uint8Array {
  // Checked before, unless the value's hash was edited since.
  const known = verified.get(site.value);
  if (known && known.sha256 === site.value.sha256) return known.bytes;
  const bytes = fromBase64(String(site.value.data));
  if (!bytes) {
    throw invalid(
      `${where}: ${describeSite(site)}: the inline media 'data' is not base64.`,
      `${where} ${describeSite(site)}`,
      TAMPERED_FIX,
    );
  }
  return checkBytes(site, bytes, 'the inline media data', where);
}

/** What to do when an artifact's media files cannot be read where it was loaded from. */
export const MEDIA_FILES_FIX =
  "Load the artifact by its path on Node, Bun or Deno (loadArtifact('x.json') reads the files in 'x.media/'), pass { media: (file) => bytes } to loadArtifact or Module.load (e.g. fetch(new URL(file, mediaFolderUrl))), or save it with a higher { mediaInlineLimit } so every media value is inline.";

export function unresolved(site: MediaSite, where: string): DspyError {
  return invalid(
    `${where}: ${describeSite(site)} is stored in the media file '${String(site.value.file)}', and there is no media folder or resolver to read it from.`,
    `${where} ${describeSite(site)}`,
    MEDIA_FILES_FIX,
  );
}

/** Rebuilds the predictors' demos, replacing stored values found in `replace` (copies only changed containers). */
export function rebuild(artifact: Artifact, replace: Map<object, unknown>): Record<string, PredictorState> {
  const walk = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (replace.has(value)) return replace.get(value);
    if (isStored(value)) return value;
    let changed = false;
    const entries = Object.entries(value).map(([k, v]): [string, unknown] => {
      const out = walk(v);
      if (out !== v) changed = true;
      return [k, out];
    });
    if (!changed) return value;
    return Array.isArray(value) ? entries.map(([, v]) => v) : Object.fromEntries(entries);
  };
  const out: Record<string, PredictorState> = {};
  for (const [path, state] of Object.entries(artifact.predictors)) {
    const demos = walk(state.demos) as Demo[];
    out[path] = demos === state.demos ? state : { ...state, demos };
  }
  return out;
}

/**
 * Verifies every inline media value of a validated artifact (size and SHA-256), synchronously.
 * With `files: 'refuse'`, a media value stored in a file is an `ARTIFACT_INVALID` error.
 */
export function verifyInlineMedia(artifact: Artifact, where: string, files: 'refuse' | 'keep'): MediaSite[] {
  const sites = mediaSites(artifact);
  for (const site of sites) {
    if (site.value.data !== undefined) inlineBytes(site, where);
    else if (site.value.file !== undefined && files === 'refuse') throw unresolved(site, where);
  }
  return sites;
}

/**
 * The predictor states of a validated artifact with `Image`/`Audio`/`File` values in place of
 * the stored ones (bytes verified by SHA-256 unless already verified on load).
 */
export function reviveArtifactMedia(
  artifact: Artifact,
  where: string,
): Readonly<Record<string, PredictorState>> {
  const sites = mediaSites(artifact);
  if (sites.length === 0) return artifact.predictors;
  const replace = new Map<object, unknown>();
  for (const site of sites) {
    const v = site.value;
    const kind = v[MEDIA_KEY] as MediaKind;
    const filename = typeof v.filename === 'string' ? { filename: v.filename } : {};
    if (v.url !== undefined) {
      replace.set(v, restoreMedia(kind, { url: String(v.url), ...filename }));
      continue;
    }
    if (v.file !== undefined) throw unresolved(site, where);
    const bytes = inlineBytes(site, where);
    replace.set(
      v,
      restoreMedia(kind, { bytes, mimeType: String(v.mimeType), sha256: String(v.sha256), ...filename }),
    );
  }
  return rebuild(artifact, replace);
}
