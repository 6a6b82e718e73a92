import { ChainOfThought, Module, Predict, Prediction, type Retriever } from '@dspy-ts/core';

/**
 * Multi-hop retrieval-augmented QA (DSPy's multi-hop pattern): hop 1 writes a search query from
 * the question, hop 2 writes one from the question and the passages found so far, each query
 * retrieves `k` passages not found by an earlier hop, and the answer is read from all of them,
 * in the order found.
 */
export class MultiHopRAG extends Module {
  hop1Query = new Predict('question: string -> query: string', {
    instructions: 'Write a search query that finds the passage answering the question.',
  });
  hop2Query = new Predict('context: string[], question: string -> query: string', {
    instructions:
      'Write a search query for what the passages found so far still miss to answer the question.',
  });
  generateAnswer = new ChainOfThought('context?: string[], question: string -> answer: string', {
    instructions: 'Answer the question with a short span copied from the context.',
  });

  constructor(
    private readonly retriever: Retriever,
    private readonly k = 2,
  ) {
    super();
  }

  override async forward({ question }: { question: string }) {
    const context: string[] = [];
    // Each hop adds k passages not found before (it asks for as many more as it already has).
    const gather = async (query: string) => {
      const { passages } = await this.retriever.search(query, this.k + context.length);
      const fresh = passages.filter((p) => !context.includes(p)).slice(0, this.k);
      context.push(...fresh);
    };
    const first = await this.hop1Query.forward({ question });
    await gather(String(first.get('query')));
    const second = await this.hop2Query.forward({ context: [...context], question });
    await gather(String(second.get('query')));
    const pred = await this.generateAnswer.forward({ context, question });
    return new Prediction({
      answer: String(pred.get('answer')),
      context,
      queries: [first.get('query'), second.get('query')],
    });
  }
}
