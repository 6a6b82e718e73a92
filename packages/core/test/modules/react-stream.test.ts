import { type ProgramStreamEvent, ReAct, streamify, tool } from '@dspy-ts/core';
import { ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { barrier, nativeTurn, textTurn } from './react-helpers.js';

async function collect<E>(it: AsyncIterable<E>): Promise<E[]> {
  const out: E[] = [];
  for await (const e of it) out.push(e);
  return out;
}

/** Each event in a short form: `delta react/nextThought`, `call call_1_0 lookup`, `result ...`. */
function outline(events: readonly ProgramStreamEvent<unknown>[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    let line: string;
    if (e.type === 'delta') line = `delta ${e.predictor}/${e.field}`;
    else if (e.type === 'tool_call') line = `call ${e.predictor} ${e.call.id} ${e.call.name}`;
    else if (e.type === 'tool_result') line = `result ${e.predictor} ${e.result.id} ${e.result.content}`;
    else line = 'prediction';
    if (out.at(-1) !== line) out.push(line);
  }
  return out;
}

describe('streamify over ReAct: tool events', () => {
  it('yields tool_call when each call starts and tool_result when it ends, between the turns', async () => {
    const gate = barrier(2);
    const lookup = tool(
      async (city: string) => {
        await gate.arrive();
        return `${city}: sunny`;
      },
      {
        name: 'lookup',
        desc: 'Weather of a city.',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    );
    const lm = new ScriptedLM([
      textTurn({
        thought: 'Both cities.',
        calls: [
          { name: 'lookup', args: { city: 'Paris' } },
          { name: 'lookup', args: { city: 'Rome' } },
        ],
      }),
      textTurn({ thought: 'Done.', calls: [{ name: 'finish', args: {} }] }),
      { reasoning: 'Both sunny.', answer: 'sunny' },
    ]);
    const agent = new ReAct('question -> answer', { tools: [lookup], lm, nativeToolCalls: false });
    const run = streamify(agent, {
      listeners: [
        { predictor: 'react', field: 'toolCalls' },
        { predictor: 'extract.predict', field: 'answer' },
      ],
    });
    const events = await collect(run({ question: 'Weather?' }));
    expect(outline(events)).toEqual([
      'delta react/toolCalls',
      'call react call_1_0 lookup',
      'call react call_1_1 lookup',
      'result react call_1_0 Paris: sunny',
      'result react call_1_1 Rome: sunny',
      'delta react/toolCalls',
      'call react call_2_0 finish',
      'result react call_2_0 Done.',
      'delta extract.predict/answer',
      'prediction',
    ]);
    const call = events.find((e) => e.type === 'tool_call');
    if (call?.type !== 'tool_call') throw new Error('no tool_call event');
    expectTypeOf(call.call.args).toEqualTypeOf<Readonly<Record<string, unknown>>>();
    expect(call.call).toEqual({ id: 'call_1_0', name: 'lookup', args: { city: 'Paris' } });
    const result = events.find((e) => e.type === 'tool_result');
    if (result?.type !== 'tool_result') throw new Error('no tool_result event');
    expect(result.result).toMatchObject({ id: 'call_1_0', name: 'lookup', ok: true, value: 'Paris: sunny' });

    // A listener on another field of the predictor gets no tool events.
    const thoughts = new ScriptedLM([
      textTurn({ thought: 'Look.', calls: [{ name: 'lookup', args: { city: 'Oslo' } }] }),
      textTurn({ thought: 'Done.', calls: [] }),
      { reasoning: 'r', answer: 'a' },
    ]);
    const gate2 = barrier(1);
    const quick = tool(
      async (city: string) => {
        await gate2.arrive();
        return city;
      },
      {
        name: 'lookup',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    );
    const other = new ReAct('question -> answer', { tools: [quick], lm: thoughts, nativeToolCalls: false });
    const only = await collect(
      streamify(other, { listeners: [{ predictor: 'react', field: 'nextThought' }] })({ question: 'q' }),
    );
    expect(only.some((e) => e.type === 'tool_call' || e.type === 'tool_result')).toBe(false);
  });

  it('native: the thought streams, then the calls start and end, turn after turn', async () => {
    const lookup = tool(async (city: string) => `${city}: sunny`, {
      name: 'lookup',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    });
    const lm = new ScriptedLM(
      [
        nativeTurn({ thought: 'Oslo first.', calls: [{ name: 'lookup', args: { city: 'Oslo' } }] }),
        nativeTurn({ thought: 'Done.', calls: [{ name: 'finish', args: {} }] }),
        { reasoning: 'Sunny.', answer: 'sunny' },
      ],
      { chunkChars: 3 },
    );
    const agent = new ReAct('question -> answer', { tools: [lookup], lm, nativeToolCalls: true });
    const events = await collect(
      streamify(agent, { listeners: [{ predictor: 'react' }] })({ question: 'q' }),
    );
    expect(outline(events)).toEqual([
      'delta react/nextThought',
      'call react call_1_1 lookup',
      'result react call_1_1 Oslo: sunny',
      'delta react/nextThought',
      'call react call_2_1 finish',
      'result react call_2_1 Done.',
      'prediction',
    ]);
  });
});
