import { fromBase64 } from '../media/decode.js';
import { type MediaKind, normalizeMime, SUPPORTED_MIME_TYPES } from '../media/detect.js';
import type { Media } from '../media/media.js';
import { restoreMedia } from '../media/restore.js';
import { sha256HexOfBytes } from '../runtime/sha256.js';

const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s;
const AUDIO_FORMATS: Readonly<Record<string, string>> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  mpeg: 'audio/mpeg',
};

function fromBytes(kind: MediaKind, mime: string, base64: string, filename?: string): Media | undefined {
  const mimeType = normalizeMime(mime);
  if (!SUPPORTED_MIME_TYPES[kind].includes(mimeType)) return undefined;
  const decoded = fromBase64(base64);
  if (!decoded) return undefined;
  const bytes = new Uint8Array(decoded);
  const name =
    kind === 'file'
      ? { filename: filename ?? (mimeType === 'application/pdf' ? 'file.pdf' : 'file.txt') }
      : {};
  return restoreMedia(kind, { bytes, mimeType, sha256: sha256HexOfBytes(bytes), ...name });
}

function fromUrl(kind: MediaKind, url: string, filename?: string): Media | undefined {
  const data = DATA_URL.exec(url);
  if (data) return fromBytes(kind, data[1] as string, data[2] as string, filename);
  if (!/^https?:\/\//i.test(url)) return undefined;
  const name =
    kind === 'file' ? { filename: filename ?? (new URL(url).pathname.split('/').pop() || 'file') } : {};
  return restoreMedia(kind, { url, ...name });
}

/**
 * The `Image`, `Audio` or `File` a demo value of Python DSPy stands for, or undefined when it
 * does not read as one. DSPy saves `dspy.Image` as `{ "url": "data:image/png;base64,..." }` (or
 * an http URL, or the URL alone), `dspy.Audio` as `{ "data": "<base64>", "audio_format": "wav" }`
 * and `dspy.File` as `{ "file_data": "data:application/pdf;base64,...", "filename": "..." }`.
 */
export function dspyMediaValue(kind: MediaKind, value: unknown): Media | undefined {
  try {
    if (typeof value === 'string') return fromUrl(kind, value);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const v = value as Record<string, unknown>;
    const filename = typeof v.filename === 'string' ? v.filename : undefined;
    if (kind === 'audio' && typeof v.data === 'string' && typeof v.audio_format === 'string') {
      const mime = AUDIO_FORMATS[v.audio_format.toLowerCase()] ?? `audio/${v.audio_format}`;
      return fromBytes('audio', mime, v.data);
    }
    if (kind === 'file' && typeof v.file_data === 'string') return fromUrl('file', v.file_data, filename);
    if (typeof v.url === 'string') return fromUrl(kind, v.url, filename);
    return undefined;
  } catch {
    return undefined;
  }
}
