import { DspyError, type DspyErrorCode } from '../errors.js';
import { fromBase64 } from '../media/decode.js';
import { type MediaKind, SUPPORTED_MIME_TYPES } from '../media/detect.js';
import { Media } from '../media/media.js';
import { restoreMedia } from '../media/restore.js';
import { sha256HexOfBytes } from '../runtime/sha256.js';
import { MEDIA_FILE_NAME, MEDIA_KEY, type StoredMedia } from './media-sites.js';
import { mediaFileName, storeMedia } from './media-values.js';
import { MAX_JSON_DEPTH } from './safe-json.js';

/** Keys and indexes from the top of a JSON value down to one of its media values (`[]`: the value itself). */
export type JsonPath = readonly (string | number)[];

/** One media value taken out of a JSON value: where it was, and its stored form (as in artifacts). */
export interface LiftedMedia {
  readonly path: JsonPath;
  readonly media: StoredMedia;
}

/** A value made ready for `JSON.stringify` with its media values taken out. */
export interface LiftedJson {
  /** The value, each media value replaced by its reference (`toJSON()`, no bytes). */
  readonly json: unknown;
  /** The media values taken out, in the order they were found. */
  readonly media: readonly LiftedMedia[];
  /** Bytes of the media above the inline limit, by file name `<sha256>.<ext>`. */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Takes the `Image`/`Audio`/`File` values out of any JSON-ready value (plain objects, arrays and
 * objects with `toJSON`, as `JSON.stringify` reads them), so that `JSON.stringify(json)` plus
 * `media` keeps them whole. Media of at most `inlineLimit` bytes are stored inline (base64); larger
 * ones by a content-addressed file (`<sha256>.<ext>`) whose bytes are in `files`. No position is
 * reserved: the places of the media are kept apart from the value. A value without media is
 * returned as it is.
 */
export function liftMedia(value: unknown, inlineLimit: number): LiftedJson {
  const media: LiftedMedia[] = [];
  const files = new Map<string, Uint8Array>();
  const ancestors = new Set<object>();
  const lift = (v: unknown, path: (string | number)[], depth: number): unknown => {
    if (v === null || typeof v !== 'object' || depth > MAX_JSON_DEPTH || ancestors.has(v)) return v;
    if (Media.isMedia(v)) {
      let stored = storeMedia(v);
      if (stored.data !== undefined && (stored.byteLength as number) > inlineLimit) {
        const file = mediaFileName(stored.sha256 as string, stored.mimeType as string);
        files.set(file, v.bytes() as Uint8Array);
        const { data: _data, ...rest } = stored;
        stored = { ...rest, file };
      }
      media.push({ path, media: stored });
      return v.toJSON();
    }
    const array = Array.isArray(v);
    if (!array && !isPlainObject(v)) {
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') {
        const before = media.length;
        const out = lift(toJSON.call(v), path, depth);
        return media.length > before ? out : v;
      }
    }
    ancestors.add(v);
    try {
      let changed = false;
      const entries = Object.entries(v).map(([k, item]): [string, unknown] => {
        const out = lift(item, [...path, array ? Number(k) : k], depth + 1);
        if (out !== item) changed = true;
        return [k, out];
      });
      if (!changed) return v;
      return array ? entries.map(([, item]) => item) : Object.fromEntries(entries);
    } finally {
      ancestors.delete(v);
    }
  };
  const json = lift(value, [], 0);
  return { json, media, files };
}

/** Where a lifted media value is, for messages: `value.demos.self[0].receipt`. */
function describePath(path: JsonPath): string {
  return `value${path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')}`;
}

/** Reads the bytes of a media file named `<sha256>.<ext>` (already checked to be that). */
export type LiftedMediaReader = (file: string) => Uint8Array | Promise<Uint8Array>;

/** How {@link restoreLiftedMedia} reports what it refuses. */
export interface RestoreLiftedOptions {
  /** What holds the value, for messages (`checkpoint run.ckpt.jsonl line 4`). */
  readonly where: string;
  /** The error code of refusals. */
  readonly code: DspyErrorCode;
  /** How to recover from a tampered, missing or malformed media value. */
  readonly fix: string;
  /** Reads media files; without it a media value stored in a file is refused. */
  readonly read?: LiftedMediaReader;
}

const SHA256 = /^[0-9a-f]{64}$/;

function storedProblem(m: Record<string, unknown>): string | undefined {
  const kind = m[MEDIA_KEY];
  if (kind !== 'image' && kind !== 'audio' && kind !== 'file') return `'$media' is ${JSON.stringify(kind)}`;
  const where = (['data', 'file', 'url'] as const).filter((k) => m[k] !== undefined);
  if (where.length !== 1)
    return `it has ${where.join(', ') || 'none'} of 'data', 'file', 'url' (exactly one)`;
  if (m.filename !== undefined && typeof m.filename !== 'string') return `'filename' is not a string`;
  if (where[0] === 'url') return typeof m.url === 'string' ? undefined : `'url' is not a string`;
  if (typeof m.mimeType !== 'string' || !SUPPORTED_MIME_TYPES[kind].includes(m.mimeType))
    return `'mimeType' ${JSON.stringify(m.mimeType)} is not a supported ${kind} type`;
  if (typeof m.sha256 !== 'string' || !SHA256.test(m.sha256)) return `'sha256' is not 64 hex digits`;
  if (typeof m.byteLength !== 'number' || !Number.isSafeInteger(m.byteLength) || m.byteLength < 0)
    return `'byteLength' is not a byte count`;
  if (where[0] === 'data') return typeof m.data === 'string' ? undefined : `'data' is not base64 text`;
  if (
    typeof m.file !== 'string' ||
    !MEDIA_FILE_NAME.test(m.file) ||
    m.file !== mediaFileName(m.sha256, m.mimeType)
  )
    return `'file' ${JSON.stringify(m.file)} is not '<sha256>.<ext>' of the value`;
  return undefined;
}

/**
 * The inverse of {@link liftMedia}: `json` (as parsed) with each lifted media value put back as
 * an `Image`, `Audio` or `File`. Bytes (inline or read from their file) are verified by size and
 * SHA-256; a malformed entry, a path that leads nowhere, or bytes that do not match are refused
 * with `options.code`, naming `options.where` and the value's path.
 */
export async function restoreLiftedMedia(
  json: unknown,
  lifted: unknown,
  options: RestoreLiftedOptions,
): Promise<unknown> {
  const refuse = (message: string, cause?: unknown) =>
    new DspyError(options.code, `${options.where}: ${message}`, {
      ...(cause !== undefined ? { cause } : {}),
      details: { where: options.where, fix: options.fix },
    });
  if (!Array.isArray(lifted)) throw refuse(`the media list is ${typeof lifted}, not an array`);
  let root = json;
  for (const entry of lifted as unknown[]) {
    const e = entry as Partial<Record<'path' | 'media', unknown>> | null;
    const path = e?.path;
    const m = e?.media;
    if (
      !Array.isArray(path) ||
      !path.every((s) => typeof s === 'string' || (Number.isSafeInteger(s) && (s as number) >= 0)) ||
      m === null ||
      typeof m !== 'object' ||
      Array.isArray(m)
    ) {
      throw refuse(`a media entry is not { path, media }: ${JSON.stringify(entry)?.slice(0, 120)}`);
    }
    const at = describePath(path as JsonPath);
    const stored = m as Record<string, unknown>;
    const problem = storedProblem(stored);
    if (problem) throw refuse(`the media value at ${at} is malformed: ${problem}`);
    const kind = stored[MEDIA_KEY] as MediaKind;
    const filename = typeof stored.filename === 'string' ? { filename: stored.filename } : {};
    let value: Media;
    if (stored.url !== undefined) value = restoreMedia(kind, { url: String(stored.url), ...filename });
    else {
      let bytes: Uint8Array | undefined;
      let source: string;
      if (stored.data !== undefined) {
        source = 'its inline data';
        bytes = fromBase64(String(stored.data));
        if (!bytes) throw refuse(`the inline media data at ${at} is not base64`);
      } else {
        const file = String(stored.file);
        source = `media file '${file}'`;
        if (!options.read)
          throw refuse(`the media value at ${at} is in the file '${file}', which cannot be read here`);
        try {
          bytes = await options.read(file);
        } catch (err) {
          const missing = (err as { code?: unknown }).code === 'ENOENT';
          throw refuse(
            `${source} of ${at} ${missing ? 'is missing' : `could not be read: ${err instanceof Error ? err.message : String(err)}`}`,
            err,
          );
        }
      }
      if (bytes.byteLength !== stored.byteLength || sha256HexOfBytes(bytes) !== stored.sha256) {
        throw refuse(
          `${source} of ${at} does not match its saved size and SHA-256 (${String(stored.sha256).slice(0, 16)}…): it was changed or corrupted`,
        );
      }
      value = restoreMedia(kind, {
        bytes: new Uint8Array(bytes),
        mimeType: String(stored.mimeType),
        sha256: String(stored.sha256),
        ...filename,
      });
    }
    if (path.length === 0) {
      root = value;
      continue;
    }
    let parent: unknown = root;
    for (let i = 0; i < path.length - 1; i++) {
      const step = path[i] as string | number;
      if (parent === null || typeof parent !== 'object' || !Object.hasOwn(parent, step)) {
        parent = undefined;
        break;
      }
      parent = (parent as Record<string | number, unknown>)[step];
    }
    const last = path[path.length - 1] as string | number;
    if (parent === null || typeof parent !== 'object' || !Object.hasOwn(parent, last)) {
      throw refuse(`the media value at ${at} has no place in the value`);
    }
    Object.defineProperty(parent, last, { value, writable: true, enumerable: true, configurable: true });
  }
  return root;
}
