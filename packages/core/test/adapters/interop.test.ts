import { ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, it } from 'vitest';
import * as core from '../../src/index.js';
import { validateValue } from '../../src/internal.js';
import { rich, richOutputs } from './helpers.js';

describe('adapters with the package entry and ScriptedLM', () => {
  it('are exported from @dspy-ts/core', () => {
    expect(new core.ChatAdapter().name).toBe('ChatAdapter');
    expect(new core.JSONAdapter().name).toBe('JSONAdapter');
    expect(typeof core.createChatStreamParser).toBe('function');
    expect(validateValue({ type: 'integer' }, 3)).toEqual({ ok: true });
  });

  it.each([
    ['ChatAdapter', () => new core.ChatAdapter({ fallback: false })],
    ['JSONAdapter', () => new core.JSONAdapter()],
  ])('%s parses what ScriptedLM renders for its prompt', async (_name, make) => {
    const lm = new ScriptedLM([richOutputs]);
    const result = await make().call(rich, { lm, inputs: { ticket: 'Refund please', tags: ['billing'] } });
    expect(result.outputs).toEqual([richOutputs]);
  });
});
