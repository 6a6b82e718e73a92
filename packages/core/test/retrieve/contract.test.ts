import { hashingEmbedding, retrieverContract } from '@dspy-ts/testing';
import { describe, it } from 'vitest';
import { BM25Retriever, Embedder, Embeddings, HybridRetriever } from '../../src/index.js';

const embedder = () => new Embedder((texts) => hashingEmbedding(texts, { dimensions: 256 }));

describe('retriever contract: Embeddings (exact)', () => {
  for (const c of retrieverContract((corpus, { k }) => new Embeddings({ corpus, embedder: embedder(), k })))
    it(c.name, c.run);
});

describe('retriever contract: BM25Retriever', () => {
  for (const c of retrieverContract((corpus, { k }) => new BM25Retriever({ corpus, k }))) it(c.name, c.run);
});

describe('retriever contract: HybridRetriever of BM25 and Embeddings', () => {
  for (const c of retrieverContract(
    (corpus, { k }) =>
      new HybridRetriever([new BM25Retriever({ corpus }), new Embeddings({ corpus, embedder: embedder() })], {
        k,
      }),
  ))
    it(c.name, c.run);
});
