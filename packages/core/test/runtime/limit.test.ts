import { describe, expect, it } from 'vitest';
import { concurrencyLimit } from '../../src/runtime/limit.js';

describe('concurrencyLimit', () => {
  it('runs at most its bound at once, in call order, and passes values and errors through', async () => {
    const limit = concurrencyLimit(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) => async () => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      if (i === 2) throw new Error('two');
      return i * 10;
    };
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => limit(task(i))));
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      0,
      10,
      'two',
      30,
      40,
    ]);
  });

  it('frees its slot when a function throws before returning a promise', async () => {
    const limit = concurrencyLimit(1);
    await expect(
      limit(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(await limit(async () => 'next')).toBe('next');
  });
});
