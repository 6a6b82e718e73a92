import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { CallAbortedError, callSignal } from '../../src/lm/call-signal.js';

describe('callSignal', () => {
  it('gives no signal to a call without one', () => {
    expect(callSignal(undefined)).toBeUndefined();
  });

  it('puts one listener on the caller signal for all its calls and fires each call once', () => {
    const ac = new AbortController();
    const fired: string[] = [];
    const calls = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => {
      const call = callSignal(ac.signal);
      call?.addEventListener('abort', () => fired.push(name));
      return call;
    });
    expect(EventEmitter.getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    // Calls that are over leave the list: from its head ('f', the newest), its tail ('a'), and
    // two neighbours in its middle, 'd' then 'c' (whose link back to 'd' must have been mended).
    for (const i of [5, 0, 3, 2]) calls[i]?.release();
    expect(calls.map((c) => c?.aborted)).toEqual([false, false, false, false, false, false]);
    ac.abort(new Error('stop'));
    expect(fired.sort()).toEqual(['b', 'e']);
    expect(calls[1]?.aborted).toBe(true);
    expect(calls[1]?.reason).toMatchObject({ message: 'stop' });
    ac.abort();
    expect(fired).toHaveLength(2);
  });

  it('fires nothing once every call is over', () => {
    const ac = new AbortController();
    let fired = 0;
    const calls = [1, 2, 3].map(() => {
      const call = callSignal(ac.signal);
      call?.addEventListener('abort', () => {
        fired += 1;
      });
      return call;
    });
    for (const c of calls) c?.release();
    ac.abort();
    expect(fired).toBe(0);
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

  it('races a call against the caller: its result, or an abort error as soon as the caller aborts', async () => {
    const ac = new AbortController();
    expect(await callSignal(ac.signal)?.race(Promise.resolve('answer'))).toBe('answer');
    const call = callSignal(ac.signal);
    const never = new Promise<string>(() => undefined);
    const raced = call?.race(never).catch((e: unknown) => e);
    ac.abort('user stop');
    const err = await raced;
    expect(err).toBeInstanceOf(CallAbortedError);
    expect(err).toMatchObject({ name: 'AbortError', cause: 'user stop' });
    // A call raced after the abort ends at once; its own rejection is not left unhandled.
    const late = callSignal(ac.signal)?.race(Promise.reject(new Error('sdk: aborted')));
    await expect(late).rejects.toBeInstanceOf(CallAbortedError);
  });

  it('runs the other listeners when one throws, and reports the error afterwards', () => {
    const reported: (() => void)[] = [];
    const spy = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((cb) => {
      reported.push(cb);
    });
    try {
      const ac = new AbortController();
      const ran: string[] = [];
      const first = callSignal(ac.signal);
      const second = callSignal(ac.signal);
      first?.addEventListener('abort', () => {
        throw new Error('listener failed');
      });
      first?.addEventListener('abort', () => ran.push('first'));
      second?.addEventListener('abort', () => ran.push('second'));
      ac.abort();
      expect(ran.sort()).toEqual(['first', 'second']);
      expect(reported).toHaveLength(1);
      expect(() => reported[0]?.()).toThrow('listener failed');
    } finally {
      spy.mockRestore();
    }
  });
});
