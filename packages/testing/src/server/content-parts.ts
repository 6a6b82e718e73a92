import { createHash } from 'node:crypto';
import type { ContentPart } from '@dspy-ts/core';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Thrown for a content part the server cannot read (an unknown type, a missing payload, a
 * payload that is not base64): the server answers 400 with its message, as a provider would.
 */
export class BadContentPart extends Error {}

/**
 * The bytes' SHA-256 (hex) of a base64 payload or a `data:` URL; undefined for an http(s) URL.
 * A payload that is not base64 (or a `data:` URL that is not base64) is a {@link BadContentPart}.
 */
function payloadHash(data: string): string | undefined {
  if (data.startsWith('http:') || data.startsWith('https:')) return undefined;
  let base64 = data;
  if (data.startsWith('data:')) {
    const comma = data.indexOf(',');
    if (comma < 0 || !data.slice(0, comma).endsWith(';base64')) {
      throw new BadContentPart('a data: URL must be `data:<mime type>;base64,<data>`');
    }
    base64 = data.slice(comma + 1);
  }
  if (base64.length === 0 || base64.length % 4 !== 0 || !BASE64.test(base64)) {
    throw new BadContentPart(`the payload is not base64 (${base64.length} characters)`);
  }
  return createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');
}

function withHash<T extends ContentPart>(part: T, data: string): T {
  const sha256 = payloadHash(data);
  return sha256 ? { ...part, sha256 } : part;
}

/**
 * A wire content part (chat-completions shape) as a `ContentPart`. A part of another type or
 * shape (`video`, a `file` by `file_id`, an `image_url` without a URL) is a {@link BadContentPart}
 * naming what the server reads, so a request the real API would refuse is not half-read here.
 */
export function fromWirePart(p: unknown): ContentPart {
  const part = readWirePart(p);
  if (part) return part;
  const type = isObject(p) && typeof p.type === 'string' ? `"${p.type}"` : 'without a type';
  throw new BadContentPart(
    `a content part ${type} is not one the server reads: { type: 'text', text }, { type: 'image_url', image_url: { url } }, { type: 'input_audio', input_audio: { data, format } } or { type: 'file', file: { filename, file_data } }`,
  );
}

function readWirePart(p: unknown): ContentPart | undefined {
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
