import { isMedia } from '../media/brand.js';
import type { MediaKind } from '../media/detect.js';
import type { Artifact } from './types.js';

// Finding the media values of an artifact, without the code that checks, reads and rebuilds
// them (media-values.ts, loaded only for an artifact that has some).

/** The key that marks a stored media value in an artifact's demos (format version 2). */
export const MEDIA_KEY = '$media';

/** Media up to this many bytes are stored inline in the artifact by `saveArtifact` (64 kB). */
export const DEFAULT_MEDIA_INLINE_LIMIT = 65_536;

/** The only shape a media file reference may have: `<sha256>.<ext>`, no folder, no dots before. */
export const MEDIA_FILE_NAME = /^[0-9a-f]{64}\.[a-z0-9]{1,8}$/;

/**
 * A media value as an artifact stores it in a demo (format version 2): inline (`data`, base64),
 * by a content-addressed file beside the artifact (`file`), or by URL (`url`).
 *
 * @example
 * ```jsonc
 * { "$media": "image", "mimeType": "image/png", "sha256": "9f86…", "byteLength": 2048, "data": "iVBORw0K…" }
 * ```
 */
export interface StoredMedia {
  readonly $media: MediaKind;
  readonly mimeType?: string;
  readonly sha256?: string;
  readonly byteLength?: number;
  readonly filename?: string;
  /** The bytes in base64 (inline media). */
  readonly data?: string;
  /** `<sha256>.<ext>` in the artifact's media folder (media above the inline limit). */
  readonly file?: string;
  /** Where the provider fetches the media (media made with `fromUrl`, no bytes known). */
  readonly url?: string;
}

/**
 * Reads the bytes of a media file an artifact refers to: `file` is `<sha256>.<ext>` (already
 * checked to be exactly that), `media` the stored value. The bytes are verified by SHA-256 after.
 */
export type ArtifactMediaResolver = (
  file: string,
  media: StoredMedia,
) => Uint8Array | ArrayBuffer | Promise<Uint8Array | ArrayBuffer>;

/** One stored media value of an artifact and where it is. */
export interface MediaSite {
  readonly value: Record<string, unknown>;
  readonly predictor: string;
  readonly demo: number;
  /** Keys and indexes from the demo down to the value (the first is the field). */
  readonly path: readonly (string | number)[];
}

/** Whether `value` is a stored media value: an object (not an array) with an own `$media` key. */
export function isStored(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.hasOwn(value as object, MEDIA_KEY)
  );
}

/**
 * Every stored media value in the demos of an artifact of format version 2 (version 1 has no
 * media: a `$media` key there is ordinary data). Walks without recursion.
 */
export function mediaSites(artifact: Artifact): MediaSite[] {
  if (artifact.formatVersion !== 2) return [];
  const sites: MediaSite[] = [];
  for (const [predictor, state] of Object.entries(artifact.predictors)) {
    state.demos.forEach((demo, index) => {
      const stack: { value: unknown; path: (string | number)[] }[] = Object.entries(demo).map(([k, v]) => ({
        value: v,
        path: [k],
      }));
      for (let item = stack.pop(); item; item = stack.pop()) {
        const { value, path } = item;
        if (value === null || typeof value !== 'object') continue;
        if (isStored(value)) sites.push({ value, predictor, demo: index, path });
        else if (Array.isArray(value)) {
          for (const [i, v] of value.entries()) stack.push({ value: v, path: [...path, i] });
        } else for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: [...path, k] });
      }
    });
  }
  return sites;
}

/**
 * Whether demos hold a media value (`Image`, `Audio`, `File`) or an object with a `$media` key:
 * what storing them in an artifact needs the media code for. Walks without recursion.
 */
export function demosHoldMedia(demos: readonly unknown[]): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [...demos];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    if (isMedia(value) || isStored(value)) return true;
    const proto = Object.getPrototypeOf(value);
    if (Array.isArray(value) || proto === Object.prototype || proto === null) {
      for (const v of Object.values(value)) stack.push(v);
    }
  }
  return false;
}
