import { ChainOfThought, Module } from '@dspy-ts/core';
import type { Retriever } from './retriever.js';

/** Retrieve paragraphs for a question, then answer from them step by step. */
export class RAG extends Module {
  generate = new ChainOfThought('context?: string[], question: string -> answer: string', {
    instructions: 'Answer the question with a short span copied from the context.',
  });

  constructor(
    private readonly retriever: Retriever,
    private readonly k = 2,
  ) {
    super();
  }

  override async forward({ question }: { question: string }) {
    const context = this.retriever.search(question, this.k);
    return this.generate.forward({ context, question });
  }
}
