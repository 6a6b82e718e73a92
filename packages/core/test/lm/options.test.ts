import { describe, expect, it } from 'vitest';
import { DspyError, LM, type LMOptions } from '../../src/index.js';

/** The error `new LM(model, options)` throws, for options the types would refuse. */
function refusal(options: Record<string, unknown>): DspyError {
  try {
    new LM('openai/gpt-4o-mini', options as LMOptions);
  } catch (err) {
    if (err instanceof DspyError) return err;
    throw err;
  }
  throw new Error('new LM accepted the options');
}

describe('LM options', () => {
  it('refuses an unknown option with LM_CONFIG, naming it and the nearest valid one', () => {
    const err = refusal({ maxRetries: 2 });
    expect(err.code).toBe('LM_CONFIG');
    expect(err.message).toContain(
      "new LM('openai/gpt-4o-mini'): unknown option 'maxRetries' (did you mean 'numRetries'?)",
    );
    expect(err.details.fix).toContain('Use numRetries for maxRetries.');
    expect(err.details.fix).toContain('extra');
    expect(err.details.suggestions).toEqual({ maxRetries: 'numRetries' });
  });

  it('names a misspelt key option without showing its value', () => {
    const err = refusal({ api_key: 'sk-typo-0123456789' });
    expect(err.message).toContain("unknown option 'api_key' (did you mean 'apiKey'?)");
    expect(JSON.stringify(err)).not.toContain('sk-typo-0123456789');
    expect(err.message).not.toContain('sk-typo-0123456789');
  });

  it('refuses a provider body parameter passed at the top level, pointing at extra', () => {
    const err = refusal({ top_p: 0.9, seed: 1 });
    expect(err.code).toBe('LM_CONFIG');
    expect(err.details.keys).toEqual(['top_p', 'seed']);
    expect(err.message).toContain('How to fix:');
    expect(err.message).toContain('{ extra: { ... } }');
  });

  it('refuses an extra that is not a plain object', () => {
    expect(refusal({ extra: ['seed'] }).message).toContain('extra must be a plain object');
    expect(refusal({ extra: 'seed=1' }).code).toBe('LM_CONFIG');
  });

  it('keeps an unknown option out of copies and settings: copy() checks its overrides too', () => {
    const lm = new LM('openai/gpt-4o-mini', { numRetries: 1, extra: { seed: 7 } });
    expect(lm.settings()).toEqual({ model: 'openai/gpt-4o-mini', numRetries: 1, extra: { seed: 7 } });
    expect(() => lm.copy({ maxRetries: 1 } as LMOptions)).toThrow(/did you mean 'numRetries'/);
  });

  it('settings drop credential-like extra entries only: a number under a similar name stays', () => {
    const lm = new LM('openai/gpt-4o-mini', {
      extra: { auth: 'plainauth', session_key: 'abc', token_limit: 5, author: 'me', seed: 1 },
    });
    expect(lm.settings().extra).toEqual({ token_limit: 5, seed: 1 });
    expect(JSON.stringify(lm)).not.toContain('plainauth');
  });

  it("merges its extra body parameters under a request's own extra", () => {
    const lm = new LM('openai/gpt-4o-mini', { extra: { seed: 7, top_p: 0.5 } });
    expect(lm.effectiveParams({ messages: [], extra: { top_p: 0.9 } }).extra).toEqual({
      seed: 7,
      top_p: 0.9,
    });
  });
});
