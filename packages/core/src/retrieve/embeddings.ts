import type { Embedder } from '../embed/embedder.js';
import { DspyError } from '../errors.js';
import { checkK, checkQuery, newIds } from './checks.js';
import { topK } from './top-k.js';
import type { Retriever, RetrieverResult } from './types.js';
import { dotRows, normalize } from './vectors.js';

/** Options of {@link Embeddings}. */
export interface EmbeddingsOptions {
  /** The passages to search. */
  readonly corpus: readonly string[];
  /** Embeds the passages and the queries. */
  readonly embedder: Embedder;
  /** Passages `search` returns when not told (default 5). */
  readonly k?: number;
  /** One unique id per passage (default: their positions, `'0'`, `'1'`, ...). */
  readonly ids?: readonly string[];
}

/** Options of {@link Embeddings.load}. */
export interface EmbeddingsLoadOptions {
  /** The embedder for queries: the same model (and dimensions) that built the index. */
  readonly embedder: Embedder;
  /** Overrides the saved `k`. */
  readonly k?: number;
}

/** The vectors, passages and ids of an index, as saved and loaded. */
export interface EmbeddingsData {
  readonly vectors: Float32Array;
  readonly dimensions: number;
  readonly passages: readonly string[];
  readonly ids: readonly string[];
}

const DEFAULT_K = 5;

/**
 * An exact in-memory vector index over a corpus (DSPy's `Embeddings` retriever): every passage's
 * vector, L2-normalised, lives in one contiguous `Float32Array`; a search embeds the query and
 * scores every passage by cosine similarity in one pass over it, then keeps the best `k` with a
 * bounded heap. `add` embeds only passages not yet in the index; `save` / `Embeddings.load` keep
 * the vectors (binary), passages, ids and the model's name.
 *
 * @example
 * ```ts
 * const embedder = new Embedder('openai/text-embedding-3-small');
 * const search = new Embeddings({ corpus: passages, embedder, k: 3 });
 * const { passages: top, scores } = await search.search('Who wrote Hamlet?');
 * await search.save('./index');
 * const again = await Embeddings.load('./index', { embedder });
 * ```
 */
export class Embeddings implements Retriever {
  readonly k: number;
  readonly embedder: Embedder;
  #matrix: Float32Array = new Float32Array(0);
  #dims = 0;
  #passages: string[] = [];
  #ids: string[] = [];
  readonly #byId = new Map<string, number>();
  readonly #byText = new Map<string, number>();
  /** The work queued so far (embedding the corpus, adds); searches wait for it. */
  #pending: Promise<unknown>;

  constructor(options: EmbeddingsOptions) {
    this.embedder = options.embedder;
    this.k = checkK('new Embeddings({ k })', options.k ?? DEFAULT_K);
    this.#pending = this.append('new Embeddings({ corpus })', options.corpus, options.ids, false);
    // Failures surface at the next search or `ready()`, not as an unhandled rejection.
    this.#pending.catch(() => undefined);
  }

  /**
   * An index of saved vectors (see {@link save}): checks that `embedder` is the model (and
   * dimensions) that made them. Node only: the files are read with `node:fs`.
   */
  static async load(dir: string, options: EmbeddingsLoadOptions): Promise<Embeddings> {
    const { readEmbeddings } = await import('./embeddings-io.js');
    const saved = await readEmbeddings(dir, options.embedder);
    const index = new Embeddings({ corpus: [], embedder: options.embedder, k: options.k ?? saved.k });
    index.restore(saved);
    return index;
  }

  /** Resolves once every passage given so far is embedded (rejects with the embedder's error). */
  async ready(): Promise<this> {
    await this.#pending;
    return this;
  }

  /** Number of passages in the index (those embedded so far). */
  get size(): number {
    return this.#passages.length;
  }

  /** Length of the vectors (0 before the first passage is embedded). */
  get dimensions(): number {
    return this.#dims;
  }

  /**
   * Adds passages, embedding only the new ones: with `ids`, those whose id is not in the index
   * yet; without, those whose text is not. Resolves with the number added.
   */
  add(texts: readonly string[], ids?: readonly string[]): Promise<number> {
    const run = this.#pending.then(() => this.append('Embeddings.add(texts)', texts, ids, true));
    this.#pending = run.catch(() => undefined);
    return run;
  }

  async search(query: string, k?: number): Promise<RetrieverResult> {
    const [result] = await this.searchMany([query], k);
    return result as RetrieverResult;
  }

  async searchMany(queries: readonly string[], k?: number): Promise<RetrieverResult[]> {
    const n = checkK('Embeddings.search(query, k)', k ?? this.k);
    for (const q of queries) checkQuery('Embeddings.search(query)', q);
    await this.#pending;
    if (queries.length === 0) return [];
    const vectors = await this.embedder.embed(queries);
    const count = this.#passages.length;
    const scores = new Float64Array(count);
    return vectors.map((raw) => {
      if (count > 0) this.checkLength(raw, 'the query');
      dotRows(this.#matrix, count, this.#dims, normalize(raw), scores);
      const best = topK(scores, count, n);
      return {
        passages: best.indexes.map((i) => this.#passages[i] as string),
        scores: best.scores,
        ids: best.indexes.map((i) => this.#ids[i] as string),
      };
    });
  }

  /** Writes the index to `dir` (created if needed), each file atomically. Node only. */
  async save(dir: string): Promise<void> {
    await this.#pending;
    const { writeEmbeddings } = await import('./embeddings-io.js');
    await writeEmbeddings(dir, this.embedder, this.k, this.data());
  }

  /** The index's vectors (a copy, `size × dimensions`, row by row), passages and ids. */
  data(): EmbeddingsData {
    const used = this.#passages.length * this.#dims;
    return {
      vectors: this.#matrix.slice(0, used),
      dimensions: this.#dims,
      passages: [...this.#passages],
      ids: [...this.#ids],
    };
  }

  private restore(saved: EmbeddingsData): void {
    this.#dims = saved.dimensions;
    this.#matrix = saved.vectors;
    this.#passages = [...saved.passages];
    this.#ids = [...saved.ids];
    saved.passages.forEach((p, i) => {
      this.#byText.set(p, i);
      this.#byId.set(saved.ids[i] as string, i);
    });
  }

  /** Embeds `texts` (all of them, or only the new ones) and appends them to the matrix. */
  private async append(
    where: string,
    texts: readonly string[],
    ids: readonly string[] | undefined,
    onlyNew: boolean,
  ): Promise<number> {
    if (!Array.isArray(texts)) {
      throw new DspyError('INPUT_INVALID', `${where}: the passages must be an array of strings`, {
        details: { where, fix: 'Pass an array of passage texts.' },
      });
    }
    // Shape and uniqueness of the ids given, before any is compared with the index.
    if (ids !== undefined) newIds(where, texts.length, 0, ids, onlyNew ? new Map() : this.#byId);
    const keep = texts
      .map((_, i) => i)
      .filter((i) =>
        onlyNew ? (ids ? !this.#byId.has(ids[i] as string) : !this.#byText.has(texts[i] as string)) : true,
      );
    const chosenTexts = keep.map((i) => texts[i] as string);
    const chosenIds = newIds(
      where,
      chosenTexts.length,
      this.#passages.length,
      ids ? keep.map((i) => ids[i] as string) : undefined,
      this.#byId,
    );
    if (chosenTexts.length === 0) return 0;
    const vectors = await this.embedder.embed(chosenTexts);
    if (this.#dims === 0) this.#dims = vectors[0]?.length ?? 0;
    const start = this.#passages.length;
    this.reserve(start + vectors.length);
    vectors.forEach((v, j) => {
      this.checkLength(v, `passage '${chosenIds[j]}'`);
      this.#matrix.set(normalize(v), (start + j) * this.#dims);
    });
    chosenTexts.forEach((text, j) => {
      const id = chosenIds[j] as string;
      this.#passages.push(text);
      this.#ids.push(id);
      this.#byId.set(id, start + j);
      if (!this.#byText.has(text)) this.#byText.set(text, start + j);
    });
    return chosenTexts.length;
  }

  /** Grows the matrix (doubling) to hold `rows` rows. */
  private reserve(rows: number): void {
    const need = rows * this.#dims;
    if (need <= this.#matrix.length) return;
    const grown = new Float32Array(Math.max(need, this.#matrix.length * 2));
    grown.set(this.#matrix);
    this.#matrix = grown;
  }

  private checkLength(vec: Float32Array, what: string): void {
    if (vec.length === this.#dims) return;
    throw new DspyError(
      'INPUT_INVALID',
      `Embeddings: ${what} has ${vec.length} dimensions, the index ${this.#dims}`,
      {
        details: {
          where: `Embeddings(${this.embedder.model})`,
          fix: 'Embed queries and passages with the same model and dimensions.',
        },
      },
    );
  }
}
