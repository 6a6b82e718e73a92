/**
 * The shapes a retriever shares with the rest of dspy-ts: what it needs of an embedder and what
 * a search returns. `@dspy-ts/core`'s `Embedder` and `Retriever` have exactly these shapes.
 */

/** Turns texts into vectors, one `Float32Array` per text, in order. */
export interface TextEmbedder {
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** One search's answer: passages, their similarity scores and their ids, best first. */
export interface RetrievalResult {
  passages: string[];
  scores: number[];
  ids: string[];
}

/** A store of passages searched by a query text. */
export interface TextRetriever {
  search(query: string, k?: number): Promise<RetrievalResult>;
  searchMany(queries: string[], k?: number): Promise<RetrievalResult[]>;
}
