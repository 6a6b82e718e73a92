import { createHash } from 'node:crypto';
import type { ContentPart } from '@dspy-ts/core';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The bytes' SHA-256 (hex) of a base64 payload or a `data:` URL; undefined for any other URL. */
function payloadHash(data: string): string | undefined {
  const base64 = data.startsWith('data:') ? data.slice(data.indexOf(',') + 1) : data;
  if (data.startsWith('http:') || data.startsWith('https:')) return undefined;
  return createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');
}

function withHash<T extends ContentPart>(part: T, data: string): T {
  const sha256 = payloadHash(data);
  return sha256 ? { ...part, sha256 } : part;
}

/** A wire content part (chat-completions shape) as a `ContentPart`, or undefined when unknown. */
export function fromWirePart(p: unknown): ContentPart | undefined {
  if (!isObject(p)) return undefined;
  if (p.type === 'text' && typeof p.text === 'string') return { type: 'text', text: p.text };
  const image = isObject(p.image_url) ? p.image_url : undefined;
  if (p.type === 'image_url' && typeof image?.url === 'string') {
    const detail =
      image.detail === 'low' || image.detail === 'high' || image.detail === 'auto' ? image.detail : undefined;
    const part: ContentPart = { type: 'image_url', url: image.url, ...(detail ? { detail } : {}) };
    return withHash(part, image.url);
  }
  const audio = isObject(p.input_audio) ? p.input_audio : undefined;
  if (p.type === 'input_audio' && typeof audio?.data === 'string') {
    const part: ContentPart = {
      type: 'input_audio',
      data: audio.data,
      format: audio.format === 'mp3' ? 'mp3' : 'wav',
    };
    return withHash(part, audio.data);
  }
  const file = isObject(p.file) ? p.file : undefined;
  if (p.type === 'file' && typeof file?.file_data === 'string') {
    const filename = typeof file.filename === 'string' ? file.filename : 'file';
    const part: ContentPart = { type: 'file', file: { filename, file_data: file.file_data } };
    return withHash(part, file.file_data);
  }
  return undefined;
}

/**
 * The text view of a media part as the backing model reads it: `<image: sha256:…>` (the first
 * 16 hex digits of the bytes' hash, as dspy-ts's own text view starts), or the URL.
 */
export function partView(p: ContentPart): string {
  if (p.type === 'text') return p.text;
  const kind = p.type === 'image_url' ? 'image' : p.type === 'input_audio' ? 'audio' : 'file';
  const name = p.type === 'file' ? `, ${p.file.filename}` : '';
  if (p.sha256) return `<${kind}: sha256:${p.sha256.slice(0, 16)}${name}>`;
  return `<${kind}: ${p.type === 'image_url' ? p.url : 'unknown'}${name}>`;
}
