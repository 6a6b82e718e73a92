/**
 * `@dspy-ts/lancedb`: a LanceDB table on disk behind the dspy-ts retriever interface, for
 * corpora that outgrow memory or one process. Embedded: no server to run.
 * @packageDocumentation
 */
export { type AddResult, LanceRetriever, type RetrieverStats } from './lance-retriever.js';
export type { LanceIndexOptions, LanceRetrieverOptions } from './options.js';
export type { TextEmbedder } from './retriever.js';
