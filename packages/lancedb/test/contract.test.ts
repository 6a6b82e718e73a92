import { retrieverContract } from './contract.js';
import { hashedNgrams, recording } from './embedders.js';
import { tempRetrievers } from './temp.js';

const temp = tempRetrievers();

retrieverContract('LanceRetriever (exact, below the index threshold)', async (corpus, k) => {
  const r = temp.open({ uri: await temp.dir(), table: 'docs', embedder: recording(hashedNgrams), k });
  await r.add(corpus);
  return r;
});
