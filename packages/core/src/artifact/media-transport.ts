import { DspyError } from '../errors.js';
import { Audio, File, Image, Media } from '../media/media.js';
import { MEDIA_KEY } from './media-sites.js';
import { storeMedia } from './media-values.js';

/** How deep inside a value media are looked for (as the adapters look). */
const MAX_DEPTH = 8;

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The value with every `Image`, `Audio` and `File` (alone, in lists, in plain objects) in the
 * stored form of artifacts (`{ $media, mimeType, sha256, byteLength, data }`, or `{ $media, url }`),
 * so that it survives a JSON transport such as a job queue. @internal
 */
export function storeMediaDeep(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Media.isMedia(value)) return storeMedia(value);
  if (Array.isArray(value)) return value.map((item) => storeMediaDeep(item, depth + 1));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = storeMediaDeep(item, depth + 1);
  return out;
}

function broken(where: string, problem: string): DspyError {
  return new DspyError('INPUT_INVALID', `${where}: ${problem}`, {
    details: {
      where,
      fix: 'Send media made with Image/Audio/File factories; the stored form is written by dspy-ts and must arrive unchanged.',
    },
  });
}

async function revive(stored: Record<string, unknown>, where: string): Promise<Media> {
  const kind = stored[MEDIA_KEY];
  const filename = typeof stored.filename === 'string' ? { filename: stored.filename } : {};
  if (typeof stored.url === 'string') {
    if (kind === 'image') return Image.fromUrl(stored.url);
    if (kind === 'audio') return Audio.fromUrl(stored.url);
    if (kind === 'file') return File.fromUrl(stored.url, filename);
  }
  const { data, mimeType, sha256, byteLength } = stored;
  if (typeof data !== 'string' || typeof mimeType !== 'string' || typeof sha256 !== 'string') {
    throw broken(where, `a stored ${String(kind)} value has no data, mimeType or sha256.`);
  }
  // The limit the value was made under may have been raised: its own size is the limit here.
  const limit = typeof byteLength === 'number' ? { maxBytes: byteLength } : {};
  const media =
    kind === 'image'
      ? await Image.fromBase64(data, mimeType, limit)
      : kind === 'audio'
        ? await Audio.fromBase64(data, mimeType, limit)
        : kind === 'file'
          ? await File.fromBase64(data, mimeType, { ...limit, ...filename })
          : undefined;
  if (!media) throw broken(where, `'${String(kind)}' is not a media kind (image, audio or file).`);
  if (media.sha256 !== sha256) {
    throw broken(where, `a stored ${kind} does not match its SHA-256 (sent ${sha256.slice(0, 16)}…).`);
  }
  return media;
}

/**
 * The value with every stored media value (see {@link storeMediaDeep}) made an `Image`, `Audio`
 * or `File` again, each checked against its SHA-256; `where` names the value in errors. @internal
 */
export async function reviveMediaDeep(value: unknown, where: string, depth = 0): Promise<unknown> {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return Promise.all(value.map((item) => reviveMediaDeep(item, where, depth + 1)));
  if (!isPlainObject(value)) return value;
  if (typeof value[MEDIA_KEY] === 'string') return revive(value, where);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = await reviveMediaDeep(item, where, depth + 1);
  return out;
}
