// Child process of disk-cache.test.ts: writes and reads the same keys as its sibling.
import { createHash } from 'node:crypto';
import { DiskCache } from '../../../src/lm/cache/disk.js';

const [dir, tag, roundsArg, keysArg] = process.argv.slice(2);
const cache = new DiskCache(dir ?? '');
const rounds = Number(roundsArg ?? 20);
const keys = Array.from({ length: Number(keysArg ?? 30) }, (_, i) =>
  createHash('sha256').update(`shared-${i}`).digest('hex'),
);
let bad = 0;
for (let r = 0; r < rounds; r++) {
  await Promise.all(
    keys.map(async (key, i) => {
      const text = `${tag}:${i}:${r}:${'x'.repeat(2000)}`;
      await cache.set(key, {
        text,
        choices: [text],
        model: 'm',
        finishReason: 'stop',
        usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
      });
      const got = await cache.get(key);
      const text2 = got?.text ?? '';
      if (!text2.endsWith('x'.repeat(2000)) || !text2.includes(`:${i}:`)) bad += 1;
    }),
  );
}
process.send?.({ bad });
