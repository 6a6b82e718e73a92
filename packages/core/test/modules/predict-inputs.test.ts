import { type DspyError, type FieldSpec, isDspyError, Predict, SignatureSpec } from '@dspy-ts/core';
import { ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, it } from 'vitest';

const str = (name: string): FieldSpec => ({ name, schema: { type: 'string' }, typeText: 'string' });
const obj = (name: string): FieldSpec => ({
  name,
  schema: { type: 'object', additionalProperties: { type: 'string' } },
  typeText: 'Record<string, string>',
});
const withFacts = new SignatureSpec({
  name: 'Lookup',
  instructions: 'Answer from the facts.',
  inputs: [str('question'), obj('facts'), { name: 'n', schema: { type: 'integer' }, typeText: 'integer' }],
  outputs: [str('answer')],
});

async function inputError(run: () => Promise<unknown>): Promise<DspyError> {
  const err = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isDspyError(err, 'INPUT_INVALID')) throw new Error(`expected INPUT_INVALID, got ${String(err)}`);
  return err;
}

describe('Predict: inputs are checked against their schemas before any LM call', () => {
  it('rejects null for a required input instead of dropping it from the prompt', async () => {
    const lm = new ScriptedLM([{ answer: 'x' }]);
    const qa = new Predict('question -> answer', { lm });
    const err = await inputError(() => qa.forward({ question: null } as never));
    expect(err.message).toContain("input 'question' is null");
    expect(err.message).toContain('expected string');
    expect(err.details.signature).toBe('StringSignature');
    expect(lm.requests).toHaveLength(0);
  });

  it('rejects a function, a Map and a non-integer, all in one error naming each field', async () => {
    const lm = new ScriptedLM([{ answer: 'x' }]);
    const p = new Predict(withFacts, { lm });
    const err = await inputError(() =>
      p.forward({ question: () => 'secret source', facts: new Map([['a', 'b']]), n: 'abc' } as never),
    );
    expect(err.message).toMatch(/3 inputs are invalid/);
    expect(err.message).toContain("input 'question' is a function");
    expect(err.message).toContain("input 'facts' is a Map");
    expect(err.message).toContain('input \'n\' is "abc": must be integer (expected integer)');
    expect((err.details.problems as { field: string }[]).map((p) => p.field)).toEqual([
      'question',
      'facts',
      'n',
    ]);
    expect(err.details.signature).toBe('Lookup');
    expect(err.message).toContain('Predict(Lookup)');
    expect(err.details.fix).toContain('n: integer');
    expect(lm.requests).toHaveLength(0);
  });

  it('rejects a function nested inside an object input', async () => {
    const p = new Predict(withFacts, { lm: new ScriptedLM([]) });
    const err = await inputError(() =>
      p.forward({ question: 'q', facts: { a: 'b', run: () => 1 }, n: 1 } as never),
    );
    expect(err.message).toContain("input 'facts' is a function at (value).run");
  });

  it('lists a missing input and a mistyped one together', async () => {
    const p = new Predict('question: string, k: number -> answer', { lm: new ScriptedLM([]) });
    const err = await inputError(() => p.forward({ k: '3' } as never));
    expect(err.message).toContain("missing required input 'question'");
    expect(err.message).toContain('input \'k\' is "3"');
  });

  it('still accepts valid inputs: a string list for a string field, optional nulls, dates', async () => {
    const lm = new ScriptedLM([{ answer: 'a' }, { answer: 'b' }]);
    const p = new Predict('context: string, hint?: string, n: integer -> answer', { lm });
    await expect(p.forward({ context: ['x', 'y'], hint: null, n: 2 } as never)).resolves.toMatchObject({
      answer: 'a',
    });
    const d = new Predict('when: string -> answer', { lm });
    await expect(d.forward({ when: new Date(0) } as never)).resolves.toMatchObject({ answer: 'b' });
  });
});
