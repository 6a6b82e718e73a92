import type { FieldSpec, JsonSchema } from '../signature/spec.js';
import type { MediaKind } from './detect.js';

/** The marker keyword adapters read on the schema of a media field. */
const TYPE_KEY = 'x-dspy-type';

/** The field types of media, as signatures write them. */
export type MediaTypeName = 'Image' | 'Audio' | 'File';

const KIND_OF: Readonly<Record<MediaTypeName, MediaKind>> = { Image: 'image', Audio: 'audio', File: 'file' };

function schemaOf(name: MediaTypeName): JsonSchema {
  return Object.freeze({ type: 'object', [TYPE_KEY]: name });
}

/** The JSON Schema of an `Image` field, as the build step and the string parser write it. */
export const IMAGE_SCHEMA: JsonSchema = schemaOf('Image');
/** The JSON Schema of an `Audio` field. */
export const AUDIO_SCHEMA: JsonSchema = schemaOf('Audio');
/** The JSON Schema of a `File` field. */
export const FILE_SCHEMA: JsonSchema = schemaOf('File');

/** The schema of a media type by its name. */
export const MEDIA_SCHEMAS: Readonly<Record<MediaTypeName, JsonSchema>> = Object.freeze({
  Image: IMAGE_SCHEMA,
  Audio: AUDIO_SCHEMA,
  File: FILE_SCHEMA,
});

/** True for `Image`, `Audio` or `File`. */
export function isMediaTypeName(name: string): name is MediaTypeName {
  return Object.hasOwn(KIND_OF, name);
}

/** The media kind a schema is marked with, if any (the schema itself, not inside it). */
export function mediaKindOf(schema: JsonSchema): MediaKind | undefined {
  const marker = schema[TYPE_KEY];
  return typeof marker === 'string' && isMediaTypeName(marker) ? KIND_OF[marker] : undefined;
}

/** The first media type name anywhere inside a schema (items, properties, unions), if any. */
export function mediaInSchema(schema: unknown): MediaTypeName | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  if (Array.isArray(schema)) {
    for (const item of schema) {
      const found = mediaInSchema(item);
      if (found) return found;
    }
    return undefined;
  }
  const marker = (schema as JsonSchema)[TYPE_KEY];
  if (typeof marker === 'string' && isMediaTypeName(marker)) return marker;
  for (const value of Object.values(schema)) {
    const found = mediaInSchema(value);
    if (found) return found;
  }
  return undefined;
}

/** True when a field's schema holds media anywhere (`Image`, `Image[]`, an object with an `Audio`). */
export function hasMedia(field: Pick<FieldSpec, 'schema'>): boolean {
  return mediaInSchema(field.schema) !== undefined;
}
