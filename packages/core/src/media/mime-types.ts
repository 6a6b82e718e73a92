// The media kinds and the MIME types each accepts: what checking a stored media value needs,
// without the type sniffing and size checks of detect.ts.

/** Which kind of media a value is: the three field types `Image`, `Audio` and `File`. */
export type MediaKind = 'image' | 'audio' | 'file';

/** The MIME types each kind accepts (what the OpenAI chat API takes as content parts). */
export const SUPPORTED_MIME_TYPES: Readonly<Record<MediaKind, readonly string[]>> = Object.freeze({
  image: Object.freeze(['image/png', 'image/jpeg', 'image/gif', 'image/webp']),
  audio: Object.freeze(['audio/wav', 'audio/mpeg']),
  file: Object.freeze(['application/pdf', 'text/plain']),
});
