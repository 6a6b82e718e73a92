import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { callSignal } from '../../src/lm/call-signal.js';

describe('callSignal', () => {
  it('gives no signal to a call without one', () => {
    expect(callSignal(undefined)).toBeUndefined();
  });

  it('puts one listener on the caller signal for all its calls and fires each call once', () => {
    const ac = new AbortController();
    const fired: string[] = [];
    const calls = ['a', 'b', 'c', 'd'].map((name) => {
      const call = callSignal(ac.signal);
      call?.addEventListener('abort', () => fired.push(name));
      return call;
    });
    expect(EventEmitter.getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    // Calls that are over leave the list, from its middle and its ends.
    calls[1]?.release();
    calls[3]?.release();
    expect(calls.map((c) => c?.aborted)).toEqual([false, false, false, false]);
    ac.abort(new Error('stop'));
    expect(fired.sort()).toEqual(['a', 'c']);
    expect(calls[0]?.aborted).toBe(true);
    expect(calls[0]?.reason).toMatchObject({ message: 'stop' });
    ac.abort();
    expect(fired).toHaveLength(2);
  });

  it('runs every listener of a call (one per attempt), except those removed', () => {
    const ac = new AbortController();
    const call = callSignal(ac.signal);
    let runs = 0;
    const attempt = () => {
      runs += 1;
    };
    const removed = () => {
      runs += 100;
    };
    call?.addEventListener('abort', attempt);
    call?.addEventListener('abort', attempt);
    call?.addEventListener('abort', removed);
    call?.removeEventListener('abort', removed);
    call?.addEventListener('close', removed);
    ac.abort();
    expect(runs).toBe(2);
  });

  it('runs a listener added after the abort at once, in a microtask', async () => {
    const call = callSignal(AbortSignal.abort());
    expect(call?.aborted).toBe(true);
    expect(() => call?.throwIfAborted()).toThrow();
    let ran = false;
    call?.addEventListener('abort', () => {
      ran = true;
    });
    expect(ran).toBe(false);
    await Promise.resolve();
    expect(ran).toBe(true);
  });
});
