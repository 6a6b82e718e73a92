import type { MediaKind } from './detect.js';
import { imageDimensions } from './dimensions.js';
import { Audio, File, Image, type Media, type MediaInit } from './media.js';

// Rebuilding media values from stored parts (artifacts, checkpoints, DSPy states): only the code
// that restores media reaches this module, so the image header parsing stays out of start-up.

/** What {@link restoreMedia} rebuilds a media value from (bytes already checked against `sha256`). */
export interface RestoredMediaInit {
  readonly bytes?: Uint8Array;
  readonly mimeType?: string;
  readonly sha256?: string;
  readonly url?: string;
  readonly filename?: string;
}

/**
 * A media value rebuilt synchronously from bytes whose SHA-256 and MIME type were checked when
 * they were stored (an artifact's demos), or from a URL. Takes ownership of `bytes`. @internal
 */
export function restoreMedia(kind: MediaKind, init: RestoredMediaInit): Media {
  const dimensions =
    kind === 'image' && init.bytes && init.mimeType ? imageDimensions(init.bytes, init.mimeType) : undefined;
  const full: MediaInit = { ...init, ...(dimensions ? { dimensions } : {}) };
  if (kind === 'image') return new (Image as unknown as new (i: MediaInit) => Image)(full);
  if (kind === 'audio') return new (Audio as unknown as new (i: MediaInit) => Audio)(full);
  return new (File as unknown as new (i: MediaInit) => File)(full);
}
