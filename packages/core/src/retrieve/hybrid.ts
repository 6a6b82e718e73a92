import { DspyError } from '../errors.js';
import { checkK, checkQuery } from './checks.js';
import type { Retriever, RetrieverResult } from './types.js';

/** Options of {@link HybridRetriever}. */
export interface HybridOptions {
  /** Passages `search` returns when not told (default 5). */
  readonly k?: number;
  /** The constant of reciprocal-rank fusion (default 60): larger flattens the weight of top ranks. */
  readonly rrfK?: number;
  /** Passages asked of each retriever per search (default: 4 × k, at least 20). */
  readonly depth?: number;
}

/**
 * Fuses the rankings of several retrievers over the same corpus (the same ids) by reciprocal
 * rank fusion: a passage scores the sum over retrievers of `1 / (rrfK + rank)` (rank 1 is the
 * best), so a passage ranked well by both a lexical and a vector retriever comes first. Scores
 * of the inner retrievers are not compared, only their ranks.
 *
 * @example
 * ```ts
 * const hybrid = new HybridRetriever([bm25, embeddings], { k: 5, rrfK: 60 });
 * const { passages } = await hybrid.search('who painted the Mona Lisa');
 * ```
 */
export class HybridRetriever implements Retriever {
  readonly k: number;
  readonly rrfK: number;
  readonly #retrievers: readonly Retriever[];
  readonly #depth: number | undefined;

  constructor(retrievers: readonly Retriever[], options: HybridOptions = {}) {
    if (!Array.isArray(retrievers) || retrievers.length === 0) {
      throw new DspyError('INPUT_INVALID', 'new HybridRetriever(retrievers): no retrievers to fuse', {
        details: {
          where: 'new HybridRetriever()',
          fix: 'Pass two or more retrievers, e.g. [bm25, embeddings].',
        },
      });
    }
    this.#retrievers = [...retrievers];
    this.k = checkK('new HybridRetriever({ k })', options.k ?? 5);
    const rrfK = options.rrfK ?? 60;
    if (!(Number.isFinite(rrfK) && rrfK >= 0)) {
      throw new DspyError(
        'INPUT_INVALID',
        `new HybridRetriever({ rrfK }): rrfK must be a number ≥ 0, got ${rrfK}`,
        {
          details: { where: 'new HybridRetriever({ rrfK })', fix: 'Pass rrfK >= 0 (60 is the usual value).' },
        },
      );
    }
    this.rrfK = rrfK;
    this.#depth =
      options.depth === undefined ? undefined : checkK('new HybridRetriever({ depth })', options.depth);
  }

  async search(query: string, k?: number): Promise<RetrieverResult> {
    const [result] = await this.searchMany([query], k);
    return result as RetrieverResult;
  }

  async searchMany(queries: readonly string[], k?: number): Promise<RetrieverResult[]> {
    const n = checkK('HybridRetriever.search(query, k)', k ?? this.k);
    for (const q of queries) checkQuery('HybridRetriever.search(query)', q);
    const depth = this.#depth ?? Math.max(20, 4 * n);
    const lists = await Promise.all(this.#retrievers.map((r) => r.searchMany(queries, Math.max(depth, n))));
    return queries.map((_, q) =>
      this.fuse(
        lists.map((l) => l[q] as RetrieverResult),
        n,
      ),
    );
  }

  private fuse(results: readonly RetrieverResult[], n: number): RetrieverResult {
    const fused = new Map<string, { score: number; passage: string; first: number }>();
    let order = 0;
    for (const r of results) {
      r.ids.forEach((id, rank) => {
        const entry = fused.get(id) ?? { score: 0, passage: r.passages[rank] as string, first: order++ };
        entry.score += 1 / (this.rrfK + rank + 1);
        fused.set(id, entry);
      });
    }
    const best = [...fused.entries()]
      .sort(([, a], [, b]) => b.score - a.score || a.first - b.first)
      .slice(0, n);
    return {
      passages: best.map(([, e]) => e.passage),
      scores: best.map(([, e]) => e.score),
      ids: best.map(([id]) => id),
    };
  }
}
