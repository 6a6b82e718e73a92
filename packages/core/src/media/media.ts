import { DspyError } from '../errors.js';
import { isMedia, MEDIA_BRAND } from './brand.js';
import { sizeText, toBase64 } from './bytes.js';
import type { MediaKind } from './detect.js';
import type { Dimensions } from './dimensions.js';

/** Options of the media factories. */
export interface MediaOptions {
  /** The largest accepted size in bytes (defaults: image 20 MB, audio 25 MB, file 32 MB). */
  readonly maxBytes?: number;
}

/** Options of the `File` factories. */
export interface FileOptions extends MediaOptions {
  /** The name the model sees (default: the file's own name, or `file.pdf` / `file.txt`). */
  readonly filename?: string;
}

/** What `toJSON()` gives: a reference to the media, never its bytes. */
export interface MediaRef {
  readonly type: MediaKind;
  readonly mimeType?: string;
  readonly sha256?: string;
  readonly byteLength?: number;
  readonly url?: string;
  readonly filename?: string;
  readonly width?: number;
  readonly height?: number;
}

/** What a media value is built from. @internal */
export interface MediaInit {
  readonly mimeType?: string;
  readonly url?: string;
  readonly bytes?: Uint8Array;
  readonly sha256?: string;
  readonly filename?: string;
  readonly dimensions?: Dimensions;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Short names of the text view where the MIME subtype is not the usual name. */
const FORMAT_NAMES: Readonly<Record<string, string>> = { 'audio/mpeg': 'mp3', 'text/plain': 'text' };

/**
 * An image, audio clip or file given to a model as an input field. Immutable; made by the
 * static factories of {@link Image}, {@link Audio} and {@link File}. Its bytes are kept once and
 * encoded to base64 at most once; logs, errors and `toJSON()` show only a reference
 * (`<image: sha256:1f2e3d4c5b6a…, 1024×768 png, 182 kB>`).
 */
export abstract class Media {
  /** `image`, `audio` or `file`. */
  abstract readonly kind: MediaKind;
  /** The MIME type, detected from the bytes (or given with a URL). */
  readonly mimeType: string | undefined;
  /** The URL the provider fetches the media from (media made with `fromUrl`). */
  readonly url: string | undefined;
  /** SHA-256 (hex) of the bytes, when the bytes are known. */
  readonly sha256: string | undefined;
  /** Size in bytes, when the bytes are known. */
  readonly byteLength: number | undefined;
  /** The file name (`File` only). */
  readonly filename: string | undefined;
  /** Width in pixels (images whose header gives it). */
  readonly width: number | undefined;
  /** Height in pixels (images whose header gives it). */
  readonly height: number | undefined;
  readonly #bytes: Uint8Array | undefined;
  #base64: string | undefined;

  protected constructor(init: MediaInit) {
    this.mimeType = init.mimeType;
    this.url = init.url;
    this.sha256 = init.sha256;
    this.byteLength = init.bytes?.byteLength;
    this.filename = init.filename;
    this.width = init.dimensions?.width;
    this.height = init.dimensions?.height;
    this.#bytes = init.bytes;
    Object.freeze(this);
  }

  /** A copy of the bytes, or undefined for media known only by URL. */
  bytes(): Uint8Array | undefined {
    // new Uint8Array(...) copies (a Node Buffer's slice() would share memory).
    return this.#bytes ? new Uint8Array(this.#bytes) : undefined;
  }

  /** The bytes in base64 (encoded once, then kept), or undefined for media known only by URL. */
  base64(): string | undefined {
    if (this.#bytes && this.#base64 === undefined) this.#base64 = toBase64(this.#bytes);
    return this.#base64;
  }

  /** A `data:` URL of the bytes, or the media's URL. */
  dataUrl(): string {
    const data = this.base64();
    return data === undefined ? (this.url ?? '') : `data:${this.mimeType};base64,${data}`;
  }

  /** The text view models without the media, logs and the offline learner read. */
  textView(): string {
    const parts: string[] = [];
    if (this.sha256) parts.push(`sha256:${this.sha256.slice(0, 16)}`);
    else if (this.url) parts.push(this.url);
    if (this.filename) parts.push(this.filename);
    const format = this.mimeType && (FORMAT_NAMES[this.mimeType] ?? this.mimeType.split('/')[1]);
    const dims = this.width !== undefined ? `${this.width}×${this.height}` : '';
    const shape = [dims, format].filter(Boolean).join(' ');
    if (shape) parts.push(shape);
    if (this.byteLength !== undefined) parts.push(sizeText(this.byteLength));
    return `<${this.kind}: ${parts.join(', ')}>`;
  }

  /** A reference to the media (never its bytes), for logs, errors and JSON. */
  toJSON(): MediaRef {
    const ref: Record<string, unknown> = { type: this.kind };
    for (const key of ['mimeType', 'sha256', 'byteLength', 'url', 'filename', 'width', 'height'] as const) {
      if (this[key] !== undefined) ref[key] = this[key];
    }
    return ref as unknown as MediaRef;
  }

  /** The text view. */
  toString(): string {
    return this.textView();
  }

  /** Node's `util.inspect` (and `console.log`) shows the text view. */
  [INSPECT](): string {
    return this.textView();
  }

  /** True for an `Image`, `Audio` or `File` of dspy-ts, whichever copy of the package made it. */
  static isMedia(value: unknown): value is Media {
    return value instanceof Media || isMedia(value);
  }
}

Object.defineProperty(Media.prototype, MEDIA_BRAND, { value: true });

/** Builds one kind of media value from its parts. @internal */
export type Build<T> = (init: MediaInit) => T;

/** `Image.fromUrl(...)`: where a factory was called, for errors. @internal */
export function where(kind: MediaKind, factory: string): string {
  return `${kind === 'image' ? 'Image' : kind === 'audio' ? 'Audio' : 'File'}.${factory}(...)`;
}

/** The factories that read bytes (type detection, hashing, dimensions), loaded on first use. */
const make = () => import('./make.js');

function fromUrlOf<T extends Media>(kind: MediaKind, build: Build<T>, url: string, opts: FileOptions): T {
  const at = where(kind, 'fromUrl');
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new DspyError('INPUT_INVALID', `${at}: '${String(url).slice(0, 80)}' is not an http(s) URL.`, {
      details: {
        where: at,
        fix: `Pass an https:// URL; for a data: URL or bytes use ${where(kind, 'fromBase64')} or ${where(kind, 'fromBytes')}.`,
      },
    });
  }
  const last = parsed.pathname.split('/').pop() || undefined;
  const filename = kind === 'file' ? (opts.filename ?? last ?? 'file') : undefined;
  return build({ url: parsed.href, ...(filename ? { filename } : {}) });
}

/**
 * An image input (PNG, JPEG, GIF or WebP): sent to the model as an `image_url` content part.
 *
 * @example
 * ```ts
 * const receipt = await Image.fromFile('receipt.png');
 * await reader.forward({ receipt, question: 'What is the total?' });
 * ```
 */
export class Image extends Media {
  get kind(): 'image' {
    return 'image';
  }

  /** An image the provider fetches from `url` (no bytes here; the text view shows the URL). */
  static fromUrl(url: string): Image {
    return fromUrlOf('image', (i) => new Image(i), url, {});
  }

  /** An image from its bytes; the MIME type is detected from them (`mimeType` is a fallback). */
  static fromBytes(
    bytes: Uint8Array | ArrayBuffer,
    mimeType?: string,
    opts: MediaOptions = {},
  ): Promise<Image> {
    return make().then((m) =>
      m.fromBytesOf('image', (i) => new Image(i), bytes, mimeType, opts, 'fromBytes'),
    );
  }

  /** An image from base64 text (a `data:` URL prefix is accepted). */
  static fromBase64(data: string, mimeType: string, opts: MediaOptions = {}): Promise<Image> {
    return make().then((m) => m.fromBase64Of('image', (i) => new Image(i), data, mimeType, opts));
  }

  /** An image read from a file (Node only; `fs` is loaded on first use). */
  static fromFile(path: string, opts: MediaOptions = {}): Promise<Image> {
    return make().then((m) => m.fromFileOf('image', (i) => new Image(i), path, opts));
  }
}

/** An audio input (WAV or MP3): sent to the model as an `input_audio` content part. */
export class Audio extends Media {
  get kind(): 'audio' {
    return 'audio';
  }

  /** Audio known by URL (the OpenAI chat API takes audio only as bytes: see `fromBytes`). */
  static fromUrl(url: string): Audio {
    return fromUrlOf('audio', (i) => new Audio(i), url, {});
  }

  /** Audio from its bytes; the MIME type is detected from them (`mimeType` is a fallback). */
  static fromBytes(
    bytes: Uint8Array | ArrayBuffer,
    mimeType?: string,
    opts: MediaOptions = {},
  ): Promise<Audio> {
    return make().then((m) =>
      m.fromBytesOf('audio', (i) => new Audio(i), bytes, mimeType, opts, 'fromBytes'),
    );
  }

  /** Audio from base64 text (a `data:` URL prefix is accepted). */
  static fromBase64(data: string, mimeType: string, opts: MediaOptions = {}): Promise<Audio> {
    return make().then((m) => m.fromBase64Of('audio', (i) => new Audio(i), data, mimeType, opts));
  }

  /** Audio read from a file (Node only; `fs` is loaded on first use). */
  static fromFile(path: string, opts: MediaOptions = {}): Promise<Audio> {
    return make().then((m) => m.fromFileOf('audio', (i) => new Audio(i), path, opts));
  }
}

/** A document input (PDF or plain text) with a file name: sent as a `file` content part. */
export class File extends Media {
  get kind(): 'file' {
    return 'file';
  }

  /** A file known by URL (the OpenAI chat API takes files only as bytes: see `fromBytes`). */
  static fromUrl(url: string, opts: FileOptions = {}): File {
    return fromUrlOf('file', (i) => new File(i), url, opts);
  }

  /** A file from its bytes; the MIME type is detected from them (`mimeType` is a fallback). */
  static fromBytes(
    bytes: Uint8Array | ArrayBuffer,
    mimeType?: string,
    opts: FileOptions = {},
  ): Promise<File> {
    return make().then((m) => m.fromBytesOf('file', (i) => new File(i), bytes, mimeType, opts, 'fromBytes'));
  }

  /** A file from base64 text (a `data:` URL prefix is accepted). */
  static fromBase64(data: string, mimeType: string, opts: FileOptions = {}): Promise<File> {
    return make().then((m) => m.fromBase64Of('file', (i) => new File(i), data, mimeType, opts));
  }

  /** A file read from disk, named by its base name (Node only; `fs` is loaded on first use). */
  static fromFile(path: string, opts: FileOptions = {}): Promise<File> {
    return make().then((m) => m.fromFileOf('file', (i) => new File(i), path, opts));
  }
}
