import { describe, expect, it } from 'vitest';
import { DspyError } from '../../src/index.js';
import { checkKnownKeys, suggestKey } from '../../src/internal.js';

const KNOWN = ['numRetries', 'timeoutMs', 'maxTokens', 'temperature', 'baseURL'] as const;

describe('suggestKey', () => {
  it('names the nearest known key for a likely typo', () => {
    expect(suggestKey('maxRetries', KNOWN)).toBe('numRetries');
    expect(suggestKey('temprature', KNOWN)).toBe('temperature');
    expect(suggestKey('baseUrl', KNOWN)).toBe('baseURL');
    expect(suggestKey('max_tokens', KNOWN)).toBe('maxTokens');
  });

  it('suggests nothing for a name far from every key', () => {
    expect(suggestKey('colour', KNOWN)).toBeUndefined();
    expect(suggestKey('x', [])).toBeUndefined();
  });
});

describe('checkKnownKeys', () => {
  it('accepts an object with known keys only', () => {
    expect(() => checkKnownKeys('f()', { numRetries: 1, timeoutMs: 5 }, KNOWN, 'LM_CONFIG')).not.toThrow();
  });

  it('throws the given code naming every unknown key and its nearest known one', () => {
    let caught: unknown;
    try {
      checkKnownKeys(
        'f()',
        { maxRetries: 1, colour: 'red', timeoutMs: 5 },
        KNOWN,
        'OPTIMIZER_INVALID',
        'Or else.',
      );
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DspyError);
    const err = caught as DspyError;
    expect(err.code).toBe('OPTIMIZER_INVALID');
    expect(err.message).toContain("f(): unknown options 'maxRetries' (did you mean 'numRetries'?), 'colour'");
    expect(err.details).toMatchObject({
      where: 'f()',
      keys: ['maxRetries', 'colour'],
      suggestions: { maxRetries: 'numRetries' },
      fix: 'Use numRetries for maxRetries. Or else.',
    });
  });

  it('lists the known keys when no unknown key is near one', () => {
    expect(() => checkKnownKeys('g()', { colour: 1 }, ['a', 'b'], 'LM_CONFIG')).toThrow(
      /Known options: a, b\./,
    );
  });
});
