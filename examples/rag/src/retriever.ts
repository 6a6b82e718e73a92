import MiniSearch from 'minisearch';

/** One paragraph of the corpus. */
export interface Passage {
  readonly id: number;
  readonly title: string;
  readonly text: string;
}

/** An in-process BM25 retriever over paragraphs (minisearch). */
export class Retriever {
  readonly #index = new MiniSearch<Passage>({ fields: ['title', 'text'], storeFields: ['text'] });

  constructor(passages: readonly Passage[]) {
    this.#index.addAll([...passages]);
  }

  /** The `k` best paragraphs for `query`, best first. */
  search(query: string, k = 2): string[] {
    return this.#index
      .search(query, { fuzzy: 0.1, prefix: true, boost: { title: 0.5 } })
      .slice(0, k)
      .map((hit) => String(hit.text));
  }
}
