import type { Media } from './media.js';

// Recognising a media value without loading the Media classes (their factories, type
// detection and dimensions): what code that only passes media through needs.

/** The mark every `Image`, `Audio` and `File` carries, whichever copy of the package made it. */
export const MEDIA_BRAND: unique symbol = Symbol.for('dspy-ts.Media') as never;

/** True for an `Image`, `Audio` or `File` of dspy-ts (what `Media.isMedia` checks, without the classes). */
export function isMedia(value: unknown): value is Media {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [MEDIA_BRAND]?: unknown })[MEDIA_BRAND] === true
  );
}
