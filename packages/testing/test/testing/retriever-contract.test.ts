import type { Retriever, RetrieverResult } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';
import { CONTRACT_CORPUS, retrieverContract } from '../../src/index.js';

/** A retriever that ranks by shared words, with one flaw chosen by the test. */
function flawed(flaw: 'ignores k' | 'worst first' | 'accepts anything'): Retriever {
  const words = (t: string) => new Set(t.toLowerCase().match(/[a-z0-9]+/g) ?? []);
  const search = async (query: string, k = 3): Promise<RetrieverResult> => {
    if (flaw !== 'accepts anything' && (!Number.isInteger(k) || k < 1 || query.trim() === '')) {
      const { DspyError } = await import('@dspy-ts/core');
      throw new DspyError('INPUT_INVALID', 'bad search');
    }
    const q = words(query);
    const ranked = CONTRACT_CORPUS.map((p, i) => ({ p, i, s: [...words(p)].filter((w) => q.has(w)).length }))
      .filter((e) => e.s > 0)
      .sort((a, b) => b.s - a.s || a.i - b.i)
      .slice(0, flaw === 'ignores k' ? undefined : k);
    if (flaw === 'worst first') ranked.reverse();
    return {
      passages: ranked.map((e) => e.p),
      scores: ranked.map((e) => e.s),
      ids: ranked.map((e) => String(e.i)),
    };
  };
  return { k: 3, search, searchMany: (qs, k) => Promise.all(qs.map((q) => search(q, k))) };
}

async function failing(r: Retriever): Promise<string[]> {
  const failed: string[] = [];
  for (const c of retrieverContract(() => r)) await c.run().catch(() => failed.push(c.name));
  return failed;
}

describe('retrieverContract', () => {
  it('finds a retriever that ignores k', async () => {
    expect(await failing(flawed('ignores k'))).toContain(
      'returns its own k when not told, and the k asked for',
    );
  });

  it('finds a retriever whose results are not best first', async () => {
    expect(await failing(flawed('worst first'))).toContain('a passage copied as the query comes first');
  });

  it('finds a retriever that accepts a bad k or an empty query', async () => {
    expect(await failing(flawed('accepts anything'))).toEqual([
      'refuses a k that is not a positive integer and an empty query',
    ]);
  });
});
