import {
  configure,
  Example,
  InputField,
  isDspyError,
  OutputField,
  Predict,
  runWithTrace,
  Signature,
  signature,
  withSettings,
} from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { registerTestManifest } from './helpers.js';

@Signature({ instructions: 'Answer the question.' })
class QA {
  @InputField() question!: string;
  @OutputField() answer!: string;
}

declare module '@dspy-ts/core' {
  interface SignatureRegistry {
    QA: { target: typeof QA; inputs: 'question'; outputs: 'answer' };
  }
}

beforeAll(registerTestManifest);
afterEach(resetSettings);

describe('Predict', () => {
  it('types inputs and outputs from a string signature', async () => {
    const lm = new ScriptedLM([{ answer: 'Paris', confidence: 0.9 }]);
    const qa = new Predict('question: string -> answer: string, confidence: number', { lm });
    const pred = await qa.forward({ question: 'Capital of France?' });
    expectTypeOf(pred.answer).toEqualTypeOf<string>();
    expectTypeOf(pred.confidence).toEqualTypeOf<number>();
    expect(pred.answer).toBe('Paris');
    expect(pred.confidence).toBe(0.9);
    // @ts-expect-error a missing input is a compile error
    await expect(qa.forward({})).rejects.toThrow(/question/);
    // @ts-expect-error a mistyped input is a compile error
    void (() => qa.forward({ question: 42 }));
  });

  it('runs a signature class', async () => {
    const lm = new ScriptedLM([{ answer: 'Paris' }]);
    const qa = new Predict(QA, { lm });
    const pred = await qa.forward({ question: 'Capital of France?' });
    expectTypeOf(pred.answer).toEqualTypeOf<string>();
    expectTypeOf(qa.forward).parameter(0).toEqualTypeOf<{ question: string }>();
    expectTypeOf(pred.toJSON()).toEqualTypeOf<{ answer: string }>();
    expect(pred.answer).toBe('Paris');
    expect(pred.toJSON()).toEqual({ answer: 'Paris' });
    expect(lm.requests[0]?.messages[0]?.content).toContain('Answer the question.');
  });

  it('rejects a missing required input with INPUT_INVALID naming the field', async () => {
    const qa = new Predict('question, context -> answer', { lm: new ScriptedLM([]) });
    const err = await qa.forward({ question: 'q' } as never).catch((e: unknown) => e);
    expect(isDspyError(err, 'INPUT_INVALID')).toBe(true);
    expect((err as Error).message).toContain("'context'");
  });

  it('returns n completions, usage and lmCalls', async () => {
    const lm = new ScriptedLM([{ answer: 'a' }, { answer: 'b' }, { answer: 'c' }], { nMode: 'next' });
    const qa = new Predict('question -> answer', { lm, n: 3 });
    const pred = await qa.forward({ question: 'q' });
    expect(pred.completions.map((c) => c.answer)).toEqual(['a', 'b', 'c']);
    expect(pred.answer).toBe('a');
    expect(pred.lmCalls).toBe(1);
    expect(pred.usage.totalTokens).toBeGreaterThan(0);
    expect(lm.requests[0]?.n).toBe(3);
  });

  it('merges per-call config over the predictor defaults and overrides the LM per call', async () => {
    const own = new ScriptedLM([{ answer: 'own' }]);
    const other = new ScriptedLM([{ answer: 'other' }]);
    const qa = new Predict('question -> answer', { lm: own, temperature: 0.2, maxTokens: 50 });
    const pred = await qa.forward({ question: 'q' }, { lm: other, temperature: 0.9, rolloutId: 7 });
    expect(pred.answer).toBe('other');
    expect(own.requests).toHaveLength(0);
    expect(other.requests[0]).toMatchObject({ temperature: 0.9, maxTokens: 50, rolloutId: 7 });
  });

  it('takes per-call demos and instructions without changing its own state', async () => {
    const lm = new ScriptedLM([{ answer: 'x' }, { answer: 'y' }]);
    const qa = new Predict('question -> answer', { lm, instructions: 'Own.' });
    await qa.forward(
      { question: 'q' },
      { instructions: 'Per call.', demos: [{ question: 'dq', answer: 'da' }] },
    );
    await qa.forward({ question: 'q' });
    const [first, second] = lm.requests.map((r) => r.messages.map((m) => m.content).join('\n'));
    expect(first).toContain('Per call.');
    expect(first).toContain('da');
    expect(second).toContain('Own.');
    expect(second).not.toContain('da');
    expect(qa.signature.instructions).toBe('Own.');
  });

  it('accepts an Example as inputs and traces only the input fields', async () => {
    const lm = new ScriptedLM([{ answer: 'Paris' }]);
    const qa = new Predict('question -> answer', { lm });
    const ex = new Example({ question: 'Capital of France?', answer: 'gold label' }).withInputs('question');
    const { trace } = await runWithTrace(() => qa.forward(ex));
    expect(trace[0]?.inputs).toEqual({ question: 'Capital of France?' });
    expect(lm.requests[0]?.messages.at(-1)?.content).not.toContain('gold label');
  });

  it('falls back to the settings LM and reports a missing LM clearly', async () => {
    const qa = new Predict('question -> answer');
    await expect(qa.forward({ question: 'q' })).rejects.toMatchObject({ code: 'LM_CONFIG' });
    const lm = new ScriptedLM([{ answer: 'scoped' }]);
    const pred = await withSettings({ lm }, () => qa.forward({ question: 'q' }));
    expect(pred.answer).toBe('scoped');
    configure({ lm: new ScriptedLM([{ answer: 'global' }]) });
    expect((await qa.forward({ question: 'q' })).answer).toBe('global');
  });

  it('renders demos and instructions, and dumps/loads/resets its state', async () => {
    const lm = new ScriptedLM([{ answer: 'x' }, { answer: 'y' }]);
    const qa = new Predict(signature('question -> answer'), { lm, instructions: 'Be brief.' });
    qa.demos = [{ question: 'demo question', answer: 'demo answer' }];
    await qa.forward({ question: 'q' });
    const messages = lm.requests[0]?.messages ?? [];
    expect(messages.map((m) => m.content).join('\n')).toContain('demo answer');
    expect(messages[0]?.content).toContain('Be brief.');

    const state = qa.dumpState();
    expect(state.instructions).toBe('Be brief.');
    expect(state.demos).toEqual([{ question: 'demo question', answer: 'demo answer' }]);
    expect(state.signature.hash).toBe(qa.declaredSignature.hash);

    const other = new Predict('question -> answer', { lm, instructions: 'Be brief.' });
    other.loadState({ ...state, instructions: 'Think.', fields: { answer: { description: 'one word' } } });
    expect(other.signature.instructions).toBe('Think.');
    expect(other.signature.field('answer')?.description).toBe('one word');
    expect(other.demos).toHaveLength(1);
    expect(other.dumpState().fields).toEqual({ answer: { description: 'one word' } });
    other.reset();
    expect(other.demos).toEqual([]);
    expect(other.signature.instructions).toBe('Be brief.');
  });
});
