// Child process of disk-cache.test.ts: writes and reads in a loop while the parent clears the cache.
import { createHash } from 'node:crypto';
import { DiskCache } from '../../../src/lm/cache/disk.js';

const [dir, tag, roundsArg] = process.argv.slice(2);
const cache = new DiskCache(dir ?? '');
const keys = Array.from({ length: 40 }, (_, i) => createHash('sha256').update(`churn-${i}`).digest('hex'));
const errors: string[] = [];
for (let r = 0; r < Number(roundsArg ?? 20); r++) {
  await Promise.all(
    keys.map(async (key, i) => {
      const text = `${tag}:${i}:${r}`;
      try {
        await cache.set(key, {
          text,
          choices: [text],
          model: 'm',
          finishReason: 'stop',
          usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
        });
        await cache.get(key);
      } catch (err) {
        errors.push(`${String(err)} ${String((err as { cause?: unknown }).cause)}`);
      }
    }),
  );
}
process.send?.({ errors: errors.slice(0, 5), count: errors.length });
