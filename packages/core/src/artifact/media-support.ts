import { DspyError } from '../errors.js';
import type * as MediaValues from './media-values.js';

// The code that checks, verifies and rebuilds media values in artifacts (media-values.ts, with
// base64, SHA-256 checks and the Image/Audio/File classes) is loaded only for an artifact that
// holds media: on first need by the asynchronous APIs, at start-up on the server entry.

/** The media code of artifacts, once loaded. */
export type ArtifactMediaCode = typeof MediaValues;

let loaded: ArtifactMediaCode | undefined;
let loading: Promise<ArtifactMediaCode> | undefined;

/** Makes the media code available to the synchronous artifact APIs (the server entry does at start-up). @internal */
export function registerArtifactMedia(code: ArtifactMediaCode): void {
  loaded = code;
}

/**
 * Loads the code that verifies and rebuilds media values (`Image`, `Audio`, `File` in demos) of
 * artifacts, once. `loadArtifact` and `Module.load` call it for every artifact of format
 * version 2; call it yourself before `parseArtifact`, `validateArtifact` or `applyArtifact` of
 * an artifact with media on the web entry (the server entry loads it at start-up).
 *
 * @example
 * ```ts
 * await loadArtifactMedia();
 * const artifact = parseArtifact(text, 'receipts.artifact.json');
 * ```
 */
export async function loadArtifactMedia(): Promise<void> {
  if (loaded) return;
  loading ??= import('./media-values.js');
  loaded = await loading;
}

/** Whether `value` is (or claims to be) an artifact of format version 2, the only one with media values. */
export function mayHoldMedia(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && (value as { formatVersion?: unknown }).formatVersion === 2
  );
}

/**
 * The media code, for an artifact `where` that holds media values; throws a clear error when a
 * synchronous API meets media before the code is loaded (web entry, no `loadArtifactMedia()`).
 */
export function artifactMediaCode(where: string): ArtifactMediaCode {
  if (loaded) return loaded;
  throw new DspyError(
    'NOT_LOADED',
    `${where} holds media values (Image, Audio or File in its demos), and the code that verifies them is not loaded yet.`,
    {
      details: {
        where,
        fix: 'Call `await loadArtifactMedia()` once before the synchronous parseArtifact, validateArtifact or applyArtifact, or load with the asynchronous loadArtifact(...) or Module.load(...), which load it; the server entry (Node, Bun, Deno) loads it at start-up.',
      },
    },
  );
}
