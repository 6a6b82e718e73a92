import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DspyError } from '@dspy-ts/core';
import { checkKnownKeys, checkNumberOption } from '@dspy-ts/core/internal';
import { badUri } from './errors.js';
import type { TextEmbedder } from './retriever.js';

/** When the vector index is built and how it is searched. */
export interface LanceIndexOptions {
  /**
   * Rows from which an IVF-PQ index is built (default 20,000; at least 256, PQ's codebook
   * size). Below it, and for rows added since the index was built, search is exact.
   * `Infinity` never builds one.
   */
  readonly threshold?: number;
  /** IVF partitions searched per query (default 20): more is slower and finds more. */
  readonly nprobes?: number;
  /**
   * Candidates re-ranked by their full vectors, as a multiple of `k` (default 50): this is
   * what brings an IVF-PQ search's recall back near exact.
   */
  readonly refineFactor?: number;
}

/** Options of a {@link LanceRetriever}. */
export interface LanceRetrieverOptions {
  /** The directory of the database (a path or a `file://` URL); created on the first add. */
  readonly uri: string;
  /** The table's name: letters, digits, `_`, `-` and `.`. */
  readonly table: string;
  /** Embeds documents and queries; the same embedder for the life of the table. */
  readonly embedder: TextEmbedder;
  /** Passages a search returns by default (default 5). */
  readonly k?: number;
  /** When to build the vector index and how to search it. */
  readonly index?: LanceIndexOptions;
  /** Documents embedded and written per step of an `add` (default 1,000). */
  readonly batchSize?: number;
}

const OWNER = 'LanceRetriever';
const OPTION_KEYS = ['uri', 'table', 'embedder', 'k', 'index', 'batchSize'];
const INDEX_KEYS = ['threshold', 'nprobes', 'refineFactor'];

/** Checks every option (the uri apart), throwing `OPTION_INVALID` for the first bad one. */
export function checkOptions(options: LanceRetrieverOptions): LanceRetrieverOptions {
  if (typeof options !== 'object' || options === null) {
    throw optionError(
      'options',
      'LanceRetriever needs an options object.',
      'new LanceRetriever({ uri, table, embedder })',
    );
  }
  checkKnownKeys('new LanceRetriever()', options, OPTION_KEYS, 'OPTION_INVALID');
  if (options.index !== undefined)
    checkKnownKeys('new LanceRetriever() index', options.index, INDEX_KEYS, 'OPTION_INVALID');
  if (typeof options.table !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(options.table)) {
    throw optionError(
      'table',
      `table is ${JSON.stringify(options.table)}; it must be a name of letters, digits, _, - and .`,
      "Name the table, e.g. table: 'passages'.",
    );
  }
  if (typeof options.embedder?.embed !== 'function') {
    throw optionError(
      'embedder',
      'embedder has no embed(texts) method.',
      'Pass an embedder: an object whose embed(texts) returns one Float32Array per text.',
    );
  }
  checkNumberOption(OWNER, 'k', options.k, { integer: true, min: 1 });
  checkNumberOption(OWNER, 'batchSize', options.batchSize, { integer: true, min: 1 });
  checkNumberOption(OWNER, 'index.threshold', options.index?.threshold, {
    integer: true,
    min: 256,
    infinity: true,
  });
  checkNumberOption(OWNER, 'index.nprobes', options.index?.nprobes, { integer: true, min: 1 });
  checkNumberOption(OWNER, 'index.refineFactor', options.index?.refineFactor, { integer: true, min: 1 });
  return options;
}

/** The absolute directory a `uri` names; throws `OPTION_INVALID` for anything else. */
export function localDirectory(uri: unknown): string {
  if (typeof uri !== 'string' || uri.trim() === '') throw badUri(uri, 'must be a non-empty directory path');
  let path = uri;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
    if (!uri.startsWith('file://'))
      throw badUri(uri, 'is not a local directory (only paths and file:// URLs are supported)');
    try {
      path = fileURLToPath(uri);
    } catch (err) {
      throw badUri(uri, 'is not a valid file:// URL', err);
    }
  }
  const dir = isAbsolute(path) ? path : resolve(path);
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) throw badUri(uri, `names ${dir}, which is a file, not a directory`);
  return dir;
}

function optionError(option: string, message: string, fix: string): DspyError {
  const where = `${OWNER}.${option}`;
  return new DspyError('OPTION_INVALID', `${where}: ${message}`, { details: { where, option, fix } });
}
