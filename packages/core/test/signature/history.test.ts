import { describe, expect, expectTypeOf, it } from 'vitest';
import { DspyError, History, type SpecInputs, signature } from '../../src/index.js';
import { HISTORY_SCHEMA, historyTurns, isHistoryField } from '../../src/internal.js';

describe('History', () => {
  it('holds turns from a list or from { messages }, oldest first', () => {
    const turns = [{ question: 'Capital of France?', answer: 'Paris' }];
    expect(new History(turns).messages).toEqual(turns);
    expect(new History({ messages: turns }).messages).toEqual(turns);
    expect(new History().length).toBe(0);
  });

  it('is immutable: append returns a new History and leaves the old one as it was', () => {
    const turn = { question: 'a?', answer: 'A' };
    const one = new History([turn]);
    const two = one.append({ question: 'b?', answer: 'B' });
    expect(one.length).toBe(1);
    expect(two.messages.map((m) => m.question)).toEqual(['a?', 'b?']);
    turn.answer = 'changed';
    expect(one.messages[0]?.answer).toBe('A');
    expect(Object.isFrozen(one.messages)).toBe(true);
    expect(() => (one.messages as unknown as object[]).push({})).toThrow(TypeError);
  });

  it('serialises to { messages } and back (artifacts, demos, cache keys)', () => {
    const h = new History([{ question: 'q', answer: 'a' }]);
    const json = JSON.parse(JSON.stringify({ history: h }));
    expect(json).toEqual({ history: { messages: [{ question: 'q', answer: 'a' }] } });
    expect(new History(json.history).messages).toEqual(h.messages);
    expect(historyTurns(json.history)).toEqual(h.messages);
  });

  it('rejects what is not a list of turns with INPUT_INVALID naming the turn', () => {
    expect(() => new History(['hello'] as never)).toThrow(/History turn 0 is not an object/);
    let err: unknown;
    try {
      new History({ turns: [] } as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DspyError);
    expect((err as DspyError).code).toBe('INPUT_INVALID');
    expect((err as DspyError).details.fix).toMatch(/messages/);
  });

  it('is typed over the turn shape', () => {
    const h = new History([{ question: 'q', answer: 'a' }]);
    expectTypeOf(h.messages[0]).toEqualTypeOf<Readonly<{ question: string; answer: string }> | undefined>();
    // @ts-expect-error a turn of another shape
    h.append({ query: 'x' });
  });
});

describe("string signatures: 'history: History'", () => {
  it('gives the field the History marker schema and the History type', () => {
    const spec = signature('history: History, question -> answer');
    const field = spec.inputs[0];
    expect(field).toMatchObject({ name: 'history', typeText: 'History', schema: HISTORY_SCHEMA });
    expect(field && isHistoryField(field)).toBe(true);
    expectTypeOf<SpecInputs<typeof spec>['history']>().toEqualTypeOf<History>();
  });

  it('refuses a History output', () => {
    expect(() => signature('question -> history: History')).toThrow(/is an output/);
  });
});
