import { describe, expect, it } from 'vitest';

describe('legacy decorator mode', () => {
  it('compiles this directory with experimentalDecorators', () => {
    const calls: unknown[][] = [];
    const probe = (...args: unknown[]) => {
      calls.push(args);
    };
    class Probe {
      @probe x!: string;
    }
    expect(new Probe()).toBeInstanceOf(Probe);
    expect(calls).toHaveLength(1);
    // Legacy: (prototype, key[, descriptor]); TC39 would pass (undefined, context).
    expect(calls[0]?.[0]).toBe(Probe.prototype);
    expect(calls[0]?.[1]).toBe('x');
  });
});
