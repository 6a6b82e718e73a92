import { DspyError, type Retriever, type RetrieverResult } from '@dspy-ts/core';
import { type Connection, connect, type Table } from '@lancedb/lancedb';
import { maintainIndex, VECTOR_INDEX } from './ann-index.js';
import { foreignTable, lanceFailure, missingTable } from './errors.js';
import { checkOptions, type LanceRetrieverOptions, localDirectory } from './options.js';
import type { TextEmbedder } from './retriever.js';
import { COLUMNS, contentHash, idIn, tableSchema, toArrow } from './rows.js';
import { checkEmbeddings } from './vectors.js';

/** What one {@link LanceRetriever.add} call did. */
export interface AddResult {
  /** Documents embedded and stored for the first time. */
  readonly added: number;
  /** Stored documents whose text changed under the same id, embedded again. */
  readonly updated: number;
  /** Documents already stored with the same text: not embedded again. */
  readonly unchanged: number;
}

/** The state of a retriever's table: its rows and, once built, its vector index. */
export interface RetrieverStats {
  /** Documents stored. */
  readonly rows: number;
  /** The vector dimension (undefined before the first add). */
  readonly dimension: number | undefined;
  /** The IVF-PQ index, once the table reached the threshold; rows added since are searched exactly. */
  readonly index?: { readonly type: 'IVF_PQ'; readonly indexedRows: number; readonly unindexedRows: number };
}

/**
 * A `Retriever` over a LanceDB table on disk: embedded (no server), persistent, and
 * searched by cosine similarity. Search is exact until the table reaches `index.threshold` rows;
 * from then on an IVF-PQ index answers, its candidates reranked with the full vectors.
 *
 * @example
 * ```ts
 * const docs = new LanceRetriever({ uri: './data/lance', table: 'wiki', embedder, k: 5 });
 * await docs.add(passages); // embeds only the passages not stored yet
 * const { passages, scores } = await docs.search('Who wrote Dracula?');
 * await docs.close();
 * ```
 */
export class LanceRetriever implements Retriever {
  /** Passages a search returns when no `k` is given. */
  readonly k: number;
  /** The directory the table lives in (absolute). */
  readonly uri: string;
  /** The table's name. */
  readonly table: string;
  readonly #embedder: TextEmbedder;
  readonly #where: string;
  readonly #threshold: number;
  readonly #nprobes: number;
  readonly #refineFactor: number;
  readonly #batchSize: number;
  #db: Promise<Connection> | undefined;
  #handle: Table | undefined;
  #opening: Promise<Table | undefined> | undefined;
  #dimension: number | undefined;
  #writes: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(options: LanceRetrieverOptions) {
    const opts = checkOptions(options);
    this.uri = localDirectory(opts.uri);
    this.table = opts.table;
    this.k = opts.k ?? 5;
    this.#embedder = opts.embedder;
    this.#where = `LanceRetriever(${this.uri}#${this.table})`;
    this.#threshold = opts.index?.threshold ?? 20_000;
    this.#nprobes = opts.index?.nprobes ?? 20;
    this.#refineFactor = opts.index?.refineFactor ?? 50;
    this.#batchSize = opts.batchSize ?? 1000;
  }

  /**
   * Stores `texts`, embedding only those not stored yet: a text is known by its id (`ids[i]`,
   * else its content hash) and re-embedded only when the text under that id changed.
   */
  async add(texts: readonly string[], ids?: readonly string[]): Promise<AddResult> {
    const docs = this.#documents(texts, ids);
    const run = this.#writes.then(() => this.#addAll(docs));
    this.#writes = run.catch(() => undefined);
    return run;
  }

  /** The `k` (default: the retriever's `k`) passages most similar to `query`, best first. */
  async search(query: string, k?: number): Promise<RetrieverResult> {
    const [result] = await this.searchMany([query], k);
    return result as RetrieverResult;
  }

  /** {@link LanceRetriever.search} for each query; the queries are embedded in one call. */
  async searchMany(queries: readonly string[], k?: number): Promise<RetrieverResult[]> {
    if (k !== undefined && !(Number.isInteger(k) && k >= 1)) {
      throw inputError(
        `${this.#where}.search`,
        `k is ${k}; it must be an integer ≥ 1.`,
        'Pass k as 1, 2, 3, ...',
      );
    }
    if (!Array.isArray(queries) || queries.some((q) => typeof q !== 'string')) {
      throw inputError(
        `${this.#where}.searchMany`,
        'queries must be an array of strings.',
        'Pass the query texts as string[].',
      );
    }
    const blank = queries.findIndex((q) => q.trim() === '');
    if (blank >= 0) {
      throw inputError(
        `${this.#where}.searchMany`,
        `query ${blank} is empty.`,
        'Pass a query with some text; an empty query has nothing to be similar to.',
      );
    }
    const table = await this.#requireTable();
    if (queries.length === 0) return [];
    const vectors = checkEmbeddings(await this.#embed(queries), queries.length, {
      where: this.#where,
      what: 'queries',
      dimension: this.#dimension,
    });
    const limit = k ?? this.k;
    try {
      return await Promise.all(vectors.map((v) => this.#nearest(table, v, limit)));
    } catch (err) {
      throw lanceFailure(this.#where, 'searching', err);
    }
  }

  /** How many documents the table holds (0 before the first `add`). */
  async count(): Promise<number> {
    const table = await this.#openTable();
    return table ? table.countRows() : 0;
  }

  /** Rows, dimension and the vector index's coverage. */
  async stats(): Promise<RetrieverStats> {
    const table = await this.#openTable();
    if (!table) return { rows: 0, dimension: undefined };
    try {
      const [rows, index] = await Promise.all([table.countRows(), table.indexStats(VECTOR_INDEX)]);
      if (!index) return { rows, dimension: this.#dimension };
      const { numIndexedRows: indexedRows, numUnindexedRows: unindexedRows } = index;
      return { rows, dimension: this.#dimension, index: { type: 'IVF_PQ', indexedRows, unindexedRows } };
    } catch (err) {
      throw lanceFailure(this.#where, 'reading the table statistics', err);
    }
  }

  /** Releases the table and the connection; the retriever cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writes;
    this.#handle?.close();
    this.#handle = undefined;
    const db = this.#db;
    this.#db = undefined;
    if (db) (await db.catch(() => undefined))?.close();
  }

  /** `await using` closes the retriever. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #nearest(table: Table, vector: Float32Array, k: number): Promise<RetrieverResult> {
    const rows = (await table
      .vectorSearch(vector)
      .distanceType('cosine')
      .nprobes(this.#nprobes)
      .refineFactor(this.#refineFactor)
      .limit(k)
      .select(['id', 'text', '_distance'])
      .toArray()) as { id: string; text: string; _distance: number }[];
    rows.sort((a, b) => a._distance - b._distance);
    return {
      passages: rows.map((r) => r.text),
      scores: rows.map((r) => 1 - r._distance),
      ids: rows.map((r) => r.id),
    };
  }

  #documents(texts: readonly string[], ids?: readonly string[]): Doc[] {
    const where = `${this.#where}.add`;
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) {
      throw inputError(where, 'texts must be an array of strings.', 'Pass the documents as string[].');
    }
    if (ids !== undefined) {
      if (!Array.isArray(ids) || ids.length !== texts.length) {
        throw inputError(
          where,
          `ids has ${Array.isArray(ids) ? ids.length : typeof ids} entries for ${texts.length} texts.`,
          'Give one id per text, or leave ids out to key each text by its content hash.',
        );
      }
      const bad = ids.findIndex((id) => typeof id !== 'string' || id === '');
      if (bad >= 0)
        throw inputError(
          where,
          `ids[${bad}] is not a non-empty string.`,
          'Every id must be a non-empty string.',
        );
      const seen = new Set<string>();
      for (const id of ids) {
        if (seen.has(id))
          throw inputError(where, `id '${id}' appears twice.`, 'Give each document its own id.');
        seen.add(id);
      }
    }
    const docs = new Map<string, Doc>();
    texts.forEach((text, i) => {
      const hash = contentHash(text);
      const id = ids?.[i] ?? hash;
      if (!docs.has(id)) docs.set(id, { id, text, hash });
    });
    return [...docs.values()];
  }

  async #addAll(docs: readonly Doc[]): Promise<AddResult> {
    let table = await this.#openTable();
    // An empty table has nothing to compare with (and `docs` holds each id once).
    const lookup = table !== undefined && (await table.countRows()) > 0;
    const result = { added: 0, updated: 0, unchanged: 0 };
    for (let start = 0; start < docs.length; start += this.#batchSize) {
      const batch = docs.slice(start, start + this.#batchSize);
      const stored = table && lookup ? await this.#storedHashes(table, batch) : new Map<string, string>();
      const fresh = batch.filter((d) => !stored.has(d.id));
      const changed = batch.filter((d) => stored.has(d.id) && stored.get(d.id) !== d.hash);
      result.unchanged += batch.length - fresh.length - changed.length;
      const todo = [...fresh, ...changed];
      if (todo.length === 0) continue;
      const vectors = checkEmbeddings(await this.#embed(todo.map((d) => d.text)), todo.length, {
        where: this.#where,
        what: 'documents',
        dimension: this.#dimension,
      });
      const dimension = this.#dimension ?? (vectors[0] as Float32Array).length;
      const rows = (list: readonly Doc[], from: number) => ({
        ids: list.map((d) => d.id),
        texts: list.map((d) => d.text),
        hashes: list.map((d) => d.hash),
        vectors: vectors.slice(from, from + list.length),
      });
      try {
        table ??= await this.#createTable(dimension);
        if (this.#dimension !== dimension) {
          checkEmbeddings(vectors, vectors.length, {
            where: this.#where,
            what: 'documents',
            dimension: this.#dimension,
          });
        }
        if (fresh.length > 0) await table.add(toArrow(rows(fresh, 0), dimension));
        if (changed.length > 0) {
          await table
            .mergeInsert('id')
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute(toArrow(rows(changed, fresh.length), dimension));
        }
      } catch (err) {
        throw lanceFailure(this.#where, 'writing documents', err);
      }
      result.added += fresh.length;
      result.updated += changed.length;
    }
    if (table && result.added + result.updated > 0) {
      await maintainIndex(table, {
        threshold: this.#threshold,
        dimension: dimensionOf(this.#dimension),
        where: this.#where,
      });
    }
    return result;
  }

  /** The stored hash of each of `batch`'s ids that the table holds. */
  async #storedHashes(table: Table, batch: readonly Doc[]): Promise<Map<string, string>> {
    try {
      const rows = (await table
        .query()
        .where(idIn(batch.map((d) => d.id)))
        .select(['id', 'hash'])
        .toArray()) as { id: string; hash: string }[];
      return new Map(rows.map((r) => [r.id, r.hash]));
    } catch (err) {
      throw lanceFailure(this.#where, 'reading stored ids', err);
    }
  }

  async #embed(texts: string[]): Promise<Float32Array[]> {
    try {
      return await this.#embedder.embed(texts);
    } catch (err) {
      throw lanceFailure(this.#where, `embedding ${texts.length} texts (the embedder threw)`, err);
    }
  }

  #connection(): Promise<Connection> {
    if (this.#closed) {
      throw inputError(
        this.#where,
        'the retriever is closed.',
        'Create a new LanceRetriever to use the table again.',
      );
    }
    this.#db ??= connect(this.uri).catch((err: unknown) => {
      this.#db = undefined;
      throw lanceFailure(this.#where, `opening ${this.uri}`, err);
    });
    return this.#db;
  }

  /** The table, opened once (concurrent callers share the opening); undefined while it does not exist. */
  async #openTable(): Promise<Table | undefined> {
    const db = await this.#connection();
    if (this.#handle) return this.#handle;
    this.#opening ??= this.#openExisting(db).finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  async #openExisting(db: Connection): Promise<Table | undefined> {
    const names = await db.tableNames().catch((err: unknown) => {
      throw lanceFailure(this.#where, `listing the tables of ${this.uri}`, err);
    });
    if (!names.includes(this.table)) return undefined;
    const table = await db.openTable(this.table).catch((err: unknown) => {
      throw lanceFailure(this.#where, `opening table '${this.table}'`, err);
    });
    try {
      this.#dimension = await this.#checkSchema(table);
    } catch (err) {
      table.close();
      throw err;
    }
    this.#handle = table;
    return table;
  }

  async #requireTable(): Promise<Table> {
    const table = await this.#openTable();
    if (table) return table;
    const names = await (await this.#connection()).tableNames();
    throw missingTable(this.#where, this.table, this.uri, names);
  }

  /** The vector dimension of a retriever's table; throws for any other table. */
  async #checkSchema(table: Table): Promise<number> {
    const schema = await table.schema();
    const names = schema.fields.map((f) => f.name);
    const vector = schema.fields.find((f) => f.name === 'vector');
    const size = (vector?.type as { listSize?: unknown } | undefined)?.listSize;
    if (COLUMNS.some((c) => !names.includes(c)) || typeof size !== 'number') {
      throw foreignTable(this.#where, this.table, names);
    }
    return size;
  }

  async #createTable(dimension: number): Promise<Table> {
    const db = await this.#connection();
    const table = await db.createEmptyTable(this.table, tableSchema(dimension), { existOk: true });
    this.#dimension = await this.#checkSchema(table);
    this.#handle = table;
    return table;
  }
}

/** A document on its way into the table. */
interface Doc {
  readonly id: string;
  readonly text: string;
  readonly hash: string;
}

function dimensionOf(dimension: number | undefined): number {
  if (dimension === undefined)
    throw new DspyError('INTERNAL', 'LanceRetriever: a written table has no dimension.');
  return dimension;
}

function inputError(where: string, message: string, fix: string): DspyError {
  return new DspyError('INPUT_INVALID', `${where}: ${message}`, { details: { where, fix } });
}
