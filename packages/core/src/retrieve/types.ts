/** What a {@link Retriever} found for one query: parallel arrays, best first. */
export interface RetrieverResult {
  /** The passages' texts. */
  readonly passages: string[];
  /** Their scores (higher is better; their scale depends on the retriever). */
  readonly scores: number[];
  /** Their ids in the retriever's corpus. */
  readonly ids: string[];
}

/**
 * Finds the passages of a corpus that best answer a query. Programs hold one (a module field or
 * a constructor argument) and call `search`; tests swap in another implementation. `Embeddings`
 * (exact vector search), `BM25Retriever` (lexical) and `HybridRetriever` (rank fusion) implement
 * it, and `retrieverContract` of `@dspy-ts/testing` checks any implementation.
 *
 * @example
 * ```ts
 * class RAG extends Module {
 *   constructor(readonly retriever: Retriever) { super(); }
 *   async forward({ question }: { question: string }) {
 *     const { passages } = await this.retriever.search(question, 3);
 *     return this.answer.forward({ context: passages, question });
 *   }
 * }
 * ```
 */
export interface Retriever {
  /** The number of passages `search` returns when not told (`k` of the options). */
  readonly k: number;
  /** The `k` best passages for `query`, best first (fewer when fewer match). */
  search(query: string, k?: number): Promise<RetrieverResult>;
  /** `search` of each query, in order. */
  searchMany(queries: readonly string[], k?: number): Promise<RetrieverResult[]>;
}
