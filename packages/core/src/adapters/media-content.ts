import { DspyError } from '../errors.js';
import type { ChatMessage, ContentPart } from '../lm/types.js';
import type { Media } from '../media/media.js';
import { escapeXml } from './xml-escape.js';

// How media reach a model as content parts: loaded when a call's inputs, demos or history hold
// media (see `media-parts.ts`), so that apps without media do not ship it.

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
