import type { ChatMessage } from '../lm/types.js';
import { isMedia } from '../media/brand.js';
import type { Media } from '../media/media.js';
import { lazyPiece } from './lazy-piece.js';
import type { FormatArgs } from './types.js';

/** How deep inside inputs, demos and history media are looked for. */
const MAX_DEPTH = 8;

function walk(value: unknown, found: Map<string, Media>, depth: number): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
  if (isMedia(value)) {
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
  return isMedia(original) ? original.textView() : value;
}

/** How media become content parts (`media-content.ts`). */
type MediaContent = typeof import('./media-content.js');

const content = lazyPiece<MediaContent>('the media content parts', () => import('./media-content.js'));

/** Installs the media content parts (the server entry does it at start-up). @internal */
export const registerMediaContent: (loaded: MediaContent) => void = content.register;

/** Loads the media content parts unless they are loaded already (see `loadAdapterSupport`). @internal */
export const loadMediaContent: () => Promise<void> = content.load;

/**
 * Resolves once `args` can be formatted synchronously: loads the media content parts when its
 * inputs, demos or history hold media. `undefined` when there is nothing to wait for. @internal
 */
export function ensureMediaContent(args: FormatArgs): Promise<void> | undefined {
  return content.value || collectMedia(args).size === 0 ? undefined : content.load();
}

/**
 * The messages with content parts on every user message that shows one of `media` (see
 * `media-content.ts`); messages without media are returned as they are.
 */
export function withMediaParts(messages: ChatMessage[], media: ReadonlyMap<string, Media>): ChatMessage[] {
  return media.size === 0 ? messages : content.now('Formatting media').withMediaParts(messages, media);
}
