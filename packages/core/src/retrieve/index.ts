export { type BM25Options, BM25Retriever } from './bm25.js';
export {
  Embeddings,
  type EmbeddingsData,
  type EmbeddingsLoadOptions,
  type EmbeddingsOptions,
} from './embeddings.js';
export { type HybridOptions, HybridRetriever } from './hybrid.js';
export type { Retriever, RetrieverResult } from './types.js';
