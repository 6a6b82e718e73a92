import { retrieverContract as sharedContract } from '@dspy-ts/testing';
import { describe, it } from 'vitest';
import { retrieverContract } from './contract.js';
import { hashedNgrams, recording } from './embedders.js';
import { tempRetrievers } from './temp.js';

const temp = tempRetrievers();

retrieverContract('LanceRetriever (exact, below the index threshold)', async (corpus, k) => {
  const r = temp.open({ uri: await temp.dir(), table: 'docs', embedder: recording(hashedNgrams), k });
  await r.add(corpus);
  return r;
});

describe('the shared retriever contract: LanceRetriever', () => {
  for (const c of sharedContract(async (corpus, { k }) => {
    const r = temp.open({ uri: await temp.dir(), table: 'docs', embedder: recording(hashedNgrams), k });
    await r.add([...corpus]);
    return r;
  }))
    it(c.name, c.run, 60_000);
});
