/**
 * Saving and loading an `Embeddings` index: Node-only file I/O, imported on first use so that
 * the search path of the run time stays free of `node:fs`.
 */
import { writeFileAtomic } from '../artifact/atomic.js';
import type { Embedder } from '../embed/embedder.js';
import { DspyError } from '../errors.js';
import { nodeBuiltin } from '../runtime/node-builtins.js';
import type { EmbeddingsData } from './embeddings.js';

const IO_FIX =
  'Saving and loading an index needs a file system (Node, Bun, Deno); elsewhere build the index from its corpus.';

/** `node:path`'s join, found on first use (so bundlers see no import). */
function join(...parts: string[]): string {
  return nodeBuiltin('node:path', 'saving or loading an Embeddings index', 'ARTIFACT_IO', IO_FIX).join(
    ...parts,
  );
}

function readFile(path: string): Promise<Buffer> {
  return nodeBuiltin('node:fs', `reading '${path}'`, 'ARTIFACT_IO', IO_FIX).promises.readFile(path);
}

const FORMAT = 'dspy-ts.embeddings';
const VERSION = 1;
const META = 'meta.json';
const VECTORS = 'vectors.f32';
const CORPUS = 'corpus.json';

/** What `meta.json` holds. */
interface Meta {
  readonly format: typeof FORMAT;
  readonly version: number;
  readonly model: string;
  readonly dimensions: number;
  readonly count: number;
  readonly k: number;
  /** The embedder's safe settings (never a key). */
  readonly embedder: Readonly<Record<string, unknown>>;
}

/**
 * Writes `vectors.f32` (little-endian float32, row by row), `corpus.json` (passages and ids) and
 * `meta.json` (model, dimensions, count), each atomically; the meta goes last and names the
 * count, so a save cut short is found out at load.
 */
export async function writeEmbeddings(
  dir: string,
  embedder: Embedder,
  k: number,
  data: EmbeddingsData,
): Promise<void> {
  const v = data.vectors;
  await writeFileAtomic(join(dir, VECTORS), new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  await writeFileAtomic(join(dir, CORPUS), JSON.stringify({ passages: data.passages, ids: data.ids }));
  const meta: Meta = {
    format: FORMAT,
    version: VERSION,
    model: embedder.model,
    dimensions: data.dimensions,
    count: data.passages.length,
    k,
    embedder: embedder.settings(),
  };
  await writeFileAtomic(join(dir, META), `${JSON.stringify(meta, null, 2)}\n`);
}

async function read(dir: string, name: string): Promise<Buffer> {
  const path = join(dir, name);
  try {
    return await readFile(path);
  } catch (err) {
    throw new DspyError('ARTIFACT_IO', `Embeddings.load: cannot read '${path}': ${(err as Error).message}`, {
      cause: err,
      details: { where: path, fix: 'Pass the directory an Embeddings index was saved to with save(dir).' },
    });
  }
}

function invalid(path: string, what: string): DspyError {
  return new DspyError('ARTIFACT_INVALID', `Embeddings.load: '${path}' ${what}`, {
    details: {
      where: path,
      fix: 'Save the index again with save(dir); the files of one save belong together.',
    },
  });
}

function parseJson(path: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid(path, 'is not valid JSON');
  }
}

function readMeta(dir: string, raw: unknown): Meta {
  const path = join(dir, META);
  const m = raw as Partial<Meta> | null;
  if (typeof m !== 'object' || m === null || m.format !== FORMAT)
    throw invalid(path, `is not the meta of an index`);
  if (m.version !== VERSION)
    throw invalid(path, `has format version ${m.version}; this version reads ${VERSION}`);
  const whole = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
  if (
    typeof m.model !== 'string' ||
    !whole(m.dimensions) ||
    !whole(m.count) ||
    !whole(m.k) ||
    (m.k as number) < 1
  )
    throw invalid(path, 'lacks model, dimensions, count or k');
  return m as Meta;
}

function mismatch(dir: string, what: string, fix: string): DspyError {
  return new DspyError('ARTIFACT_MISMATCH', `Embeddings.load('${dir}'): ${what}`, {
    details: { where: dir, fix },
  });
}

/** Reads and checks a saved index: its files agree with each other, and `embedder` is its model. */
export async function readEmbeddings(
  dir: string,
  embedder: Embedder,
): Promise<EmbeddingsData & { k: number }> {
  const meta = readMeta(dir, parseJson(join(dir, META), await read(dir, META)));
  if (embedder.model !== meta.model) {
    throw mismatch(
      dir,
      `the index was built with ${meta.model}, the embedder is ${embedder.model}`,
      `Load it with new Embedder('${meta.model}'), or build a new index with this embedder.`,
    );
  }
  if (embedder.dimensions !== undefined && embedder.dimensions !== meta.dimensions) {
    throw mismatch(
      dir,
      `the index has ${meta.dimensions} dimensions, the embedder asks for ${embedder.dimensions}`,
      `Pass { dimensions: ${meta.dimensions} } to the embedder, or leave dimensions out.`,
    );
  }
  const corpusPath = join(dir, CORPUS);
  const corpus = parseJson(corpusPath, await read(dir, CORPUS)) as {
    passages?: unknown;
    ids?: unknown;
  } | null;
  const strings = (a: unknown): a is string[] =>
    Array.isArray(a) && a.length === meta.count && a.every((s) => typeof s === 'string');
  if (!corpus || !strings(corpus.passages) || !strings(corpus.ids))
    throw invalid(corpusPath, `does not hold ${meta.count} passages and ids`);
  const bytes = await read(dir, VECTORS);
  if (bytes.length !== meta.count * meta.dimensions * 4)
    throw invalid(
      join(dir, VECTORS),
      `holds ${bytes.length} bytes, not ${meta.count} × ${meta.dimensions} float32`,
    );
  const vectors = new Float32Array(meta.count * meta.dimensions);
  new Uint8Array(vectors.buffer).set(bytes);
  return { vectors, dimensions: meta.dimensions, passages: corpus.passages, ids: corpus.ids, k: meta.k };
}
