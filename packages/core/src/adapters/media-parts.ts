import { DspyError } from '../errors.js';
import type { ChatMessage, ContentPart } from '../lm/types.js';
import { Media } from '../media/media.js';
import type { FormatArgs } from './types.js';
import { escapeXml } from './xml-escape.js';

/** How deep inside inputs, demos and history media are looked for. */
const MAX_DEPTH = 8;

function walk(value: unknown, found: Map<string, Media>, depth: number): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
  if (Media.isMedia(value)) {
    found.set(value.textView(), value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) walk(item, found, depth + 1);
    return;
  }
  const messages = (value as { messages?: unknown }).messages;
  if (Array.isArray(messages)) walk(messages, found, depth + 1);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return;
  for (const item of Object.values(value)) walk(item, found, depth + 1);
}

/** Every media value of the inputs, demos and history turns, by its text view. */
export function collectMedia(args: FormatArgs): Map<string, Media> {
  const found = new Map<string, Media>();
  walk(args.inputs, found, 0);
  walk(args.demos, found, 0);
  walk(args.history, found, 0);
  return found;
}

/**
 * A JSON replacer that writes media as their text view (never their bytes). It reads the
 * holder's own value, since `JSON.stringify` applies `toJSON` before the replacer.
 */
export function mediaReplacer(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  return Media.isMedia(original) ? original.textView() : value;
}

function bytesOnly(media: Media): never {
  const name = media.kind === 'audio' ? 'Audio' : 'File';
  throw new DspyError(
    'ADAPTER_FORMAT',
    `${media.textView()} is known only by URL, but models take ${media.kind === 'audio' ? 'audio' : 'files'} only as bytes.`,
    {
      details: {
        where: `${name} input`,
        fix: `Load the bytes first: ${name}.fromBytes(new Uint8Array(await (await fetch(url)).arrayBuffer())).`,
      },
    },
  );
}

/** The content part a model gets for a media value (its bytes encoded once, or its URL). */
export function mediaPart(media: Media): ContentPart {
  const sha256 = media.sha256 !== undefined ? { sha256: media.sha256 } : {};
  if (media.kind === 'image') return { type: 'image_url', url: media.dataUrl(), ...sha256 };
  const data = media.base64();
  if (data === undefined) return bytesOnly(media);
  if (media.kind === 'audio') {
    return { type: 'input_audio', data, format: media.mimeType === 'audio/mpeg' ? 'mp3' : 'wav', ...sha256 };
  }
  return {
    type: 'file',
    file: { filename: media.filename ?? 'file', file_data: media.dataUrl() },
    ...sha256,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The messages with content parts on every user message that shows a media value's text
 * view: the text around each view, and the media in its place. A view is found as it is, as
 * JSON writes it inside a list or an object, and as the XML adapter escapes either inside an
 * element (`&lt;image: …&gt;`), so every adapter's media reach the model. Messages without media are returned as they are.
 */
export function withMediaParts(messages: ChatMessage[], media: ReadonlyMap<string, Media>): ChatMessage[] {
  if (media.size === 0) return messages;
  const byView = new Map<string, Media>();
  for (const [view, item] of media) {
    // In a list or an object the view is a JSON string (a filename's `"` or `\` escaped).
    const inJson = JSON.stringify(view).slice(1, -1);
    for (const written of [view, inJson]) {
      byView.set(written, item);
      byView.set(escapeXml(written), item);
    }
  }
  const pattern = new RegExp([...byView.keys()].map(escapeRegExp).join('|'), 'g');
  return messages.map((m) => {
    if (m.role !== 'user') return m;
    const parts: ContentPart[] = [];
    let at = 0;
    for (const hit of m.content.matchAll(pattern)) {
      const item = byView.get(hit[0]);
      if (!item) continue;
      if (hit.index > at) parts.push({ type: 'text', text: m.content.slice(at, hit.index) });
      parts.push(mediaPart(item));
      at = hit.index + hit[0].length;
    }
    if (parts.length === 0) return m;
    if (at < m.content.length) parts.push({ type: 'text', text: m.content.slice(at) });
    return { role: 'user', content: m.content, parts };
  });
}
