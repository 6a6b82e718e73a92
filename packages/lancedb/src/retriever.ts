/** What a LanceDB retriever needs of an embedder: `@dspy-ts/core`'s `Embedder` has this shape. */

/** Turns texts into vectors, one `Float32Array` per text, in order. */
export interface TextEmbedder {
  embed(texts: string[]): Promise<Float32Array[]>;
}
