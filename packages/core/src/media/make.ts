import { DspyError } from '../errors.js';
import { nodeBuiltin } from '../runtime/node-builtins.js';
import { fromBase64, sha256Hex } from './decode.js';
import {
  checkMime,
  checkSize,
  DEFAULT_MAX_BYTES,
  type MediaKind,
  normalizeMime,
  sniffMime,
} from './detect.js';
import { imageDimensions } from './dimensions.js';
import { type Build, type FileOptions, type Media, where } from './media.js';

// The media factories that read bytes (fromBytes, fromBase64, fromFile): size and type checks,
// hashing, image dimensions. Loaded on first use, so an app that only passes media through (or
// has none) does not carry them.

export async function fromBytesOf<T extends Media>(
  kind: MediaKind,
  build: Build<T>,
  input: Uint8Array | ArrayBuffer,
  mimeType: string | undefined,
  opts: FileOptions,
  factory: string,
): Promise<T> {
  const at = where(kind, factory);
  if (!(input instanceof Uint8Array) && !(input instanceof ArrayBuffer)) {
    throw new DspyError('INPUT_INVALID', `${at} takes a Uint8Array or ArrayBuffer of the ${kind}'s bytes.`, {
      details: {
        where: at,
        fix: 'Pass the raw bytes (e.g. await fs.readFile(path), or new Uint8Array(buffer)).',
      },
    });
  }
  // A copy as a plain Uint8Array: a Node Buffer's slice() would share the caller's memory.
  const bytes = input instanceof Uint8Array ? new Uint8Array(input) : new Uint8Array(input.slice(0));
  checkSize(kind, bytes.byteLength, opts.maxBytes ?? DEFAULT_MAX_BYTES[kind], at);
  const sniffed = await sniffMime(bytes);
  const declared = mimeType ? normalizeMime(mimeType) : undefined;
  // The bytes decide; a declared type only names what sniffing cannot (text is sniffed loosely).
  const mime = checkMime(kind, sniffed && sniffed !== 'text/plain' ? sniffed : (declared ?? sniffed), at);
  const sha256 = await sha256Hex(bytes);
  const dimensions = kind === 'image' ? imageDimensions(bytes, mime) : undefined;
  const filename =
    kind === 'file' ? (opts.filename ?? (mime === 'application/pdf' ? 'file.pdf' : 'file.txt')) : undefined;
  return build({
    bytes,
    mimeType: mime,
    sha256,
    ...(dimensions ? { dimensions } : {}),
    ...(filename ? { filename } : {}),
  });
}

export function fromBase64Of<T extends Media>(
  kind: MediaKind,
  build: Build<T>,
  data: string,
  mimeType: string,
  opts: FileOptions,
): Promise<T> {
  const at = where(kind, 'fromBase64');
  const bytes = typeof data === 'string' ? fromBase64(data.replace(/^data:[^,]*;base64,/, '')) : undefined;
  if (!bytes) {
    return Promise.reject(
      new DspyError(
        'INPUT_INVALID',
        `${at}: the data is not base64 (${typeof data === 'string' ? `${data.length} characters` : typeof data}).`,
        {
          details: { where: at, fix: 'Pass the base64 text of the bytes (a data: URL prefix is accepted).' },
        },
      ),
    );
  }
  return fromBytesOf(kind, build, bytes, mimeType, opts, 'fromBase64');
}

export async function fromFileOf<T extends Media>(
  kind: MediaKind,
  build: Build<T>,
  path: string,
  opts: FileOptions,
): Promise<T> {
  const at = where(kind, 'fromFile');
  const fix = 'Reading a file needs a file system (Node, Bun, Deno); elsewhere use fromBytes or fromUrl.';
  const { readFile, stat } = nodeBuiltin('node:fs', `${at} ${path}`, 'INPUT_INVALID', fix).promises;
  const { basename } = nodeBuiltin('node:path', `${at} ${path}`, 'INPUT_INVALID', fix);
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    checkSize(kind, info.size, opts.maxBytes ?? DEFAULT_MAX_BYTES[kind], `${at} ${path}`);
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof DspyError) throw err;
    throw new DspyError('INPUT_INVALID', `${at}: cannot read '${path}': ${(err as Error).message}`, {
      cause: err,
      details: {
        where: at,
        fix: 'Check the path (relative paths start at the working directory) and its permissions.',
      },
    });
  }
  const filename = opts.filename ?? (kind === 'file' ? basename(path) : undefined);
  return fromBytesOf(
    kind,
    build,
    bytes,
    undefined,
    { ...opts, ...(filename ? { filename } : {}) },
    'fromFile',
  );
}
