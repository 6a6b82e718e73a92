import { DspyError } from '../errors.js';
import { type MediaKind, SUPPORTED_MIME_TYPES } from './mime-types.js';

export { type MediaKind, SUPPORTED_MIME_TYPES } from './mime-types.js';

/** The largest media accepted by default, in bytes (per value; override with `{ maxBytes }`). */
export const DEFAULT_MAX_BYTES: Readonly<Record<MediaKind, number>> = Object.freeze({
  image: 20_000_000,
  audio: 25_000_000,
  file: 32_000_000,
});

const ALIASES: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/mp3': 'audio/mpeg',
};

/** The canonical spelling of a MIME type (lower case, common aliases folded, parameters dropped). */
export function normalizeMime(mime: string): string {
  const bare = mime.split(';')[0]?.trim().toLowerCase() ?? '';
  return ALIASES[bare] ?? bare;
}

function looksLikeText(bytes: Uint8Array): boolean {
  try {
    const sample = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, 4096));
    return !sample.includes('\u0000');
  } catch {
    // A multi-byte character cut at the sample's end is still text.
    return bytes.length > 4096;
  }
}

/**
 * The MIME type of `bytes`, sniffed from their content with `file-type` (loaded on first use),
 * or `text/plain` for UTF-8 text; undefined when neither tells.
 */
export async function sniffMime(bytes: Uint8Array): Promise<string | undefined> {
  const { fileTypeFromBuffer } = await import('file-type/core');
  const found = await fileTypeFromBuffer(bytes);
  if (found) return normalizeMime(found.mime);
  return bytes.length > 0 && looksLikeText(bytes) ? 'text/plain' : undefined;
}

const ARTICLE: Record<MediaKind, string> = { image: 'an image', audio: 'audio', file: 'a file' };

/** Throws `INPUT_INVALID` unless `mime` is one `kind` accepts. */
export function checkMime(kind: MediaKind, mime: string | undefined, where: string): string {
  const list = SUPPORTED_MIME_TYPES[kind];
  if (mime && list.includes(mime)) return mime;
  const what = mime ? `'${mime}'` : 'of an unknown type';
  throw new DspyError('INPUT_INVALID', `${where}: the ${kind} is ${what}, which is not supported.`, {
    details: {
      where,
      fix: `Give ${ARTICLE[kind]} of one of: ${list.join(', ')} (convert it first, or pass the right mimeType).`,
    },
  });
}

/** Throws `INPUT_INVALID` when `size` bytes exceed `max`. */
export function checkSize(kind: MediaKind, size: number, max: number, where: string): void {
  if (size <= max) return;
  throw new DspyError('INPUT_INVALID', `${where}: the ${kind} has ${size} bytes, over the limit of ${max}.`, {
    details: {
      where,
      fix: `Shrink or split the ${kind}, or raise the limit with { maxBytes } if the model accepts larger ones.`,
    },
  });
}
