import { Module, ProgramOfThought, type ProgramStreamEvent, ReAct, streamify, tool } from '@dspy-ts/core';
import { ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, it } from 'vitest';

async function collect<E>(it: AsyncIterable<E>): Promise<E[]> {
  const out: E[] = [];
  for await (const e of it) out.push(e);
  return out;
}

/** Joined delta text by `predictor/field`. */
function joined(events: readonly ProgramStreamEvent<unknown>[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of events) {
    if (e.type !== 'delta') continue;
    const key = `${e.predictor}/${e.field}`;
    out[key] = (out[key] ?? '') + e.delta;
  }
  return out;
}

const lookup = tool((city: string) => `${city} has 2.1 million people`, {
  name: 'lookup',
  desc: 'Looks a city up.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
});

function agentLM(): ScriptedLM {
  return new ScriptedLM(
    [
      { nextThought: 'Look Paris up.', toolCalls: { calls: [{ name: 'lookup', args: { city: 'Paris' } }] } },
      { nextThought: 'I know it now.', toolCalls: { calls: [{ name: 'finish', args: {} }] } },
      { reasoning: 'The lookup said 2.1 million.', answer: '2.1 million' },
    ],
    { chunkChars: 3 },
  );
}

describe('streamify over ReAct and ProgramOfThought', () => {
  it('streams the selected field of a ReAct predictor, step after step, then the prediction', async () => {
    const agent = new ReAct('question: string -> answer: string', {
      tools: [lookup],
      lm: agentLM(),
      nativeToolCalls: false,
    });
    const run = streamify(agent, {
      listeners: [
        { predictor: 'react', field: 'nextThought' },
        { predictor: 'extract.predict', field: 'answer' },
      ],
    });
    const events = await collect(run({ question: 'How many people live in Paris?' }));
    expect(joined(events)).toEqual({
      'react/nextThought': 'Look Paris up.I know it now.',
      'extract.predict/answer': '2.1 million',
    });
    const deltas = events.filter((e) => e.type === 'delta');
    expect(deltas.length).toBeGreaterThan(6);
    expect(deltas.findIndex((e) => e.predictor === 'extract.predict')).toBeGreaterThan(
      deltas.findLastIndex((e) => e.predictor === 'react'),
    );
    const last = events.at(-1);
    expect(last?.type).toBe('prediction');
    if (last?.type === 'prediction') {
      expect(last.prediction.answer).toBe('2.1 million');
      const names = last.prediction.trajectory.messages.map((s) => s.toolCalls.calls.map((c) => c.name));
      expect(names).toEqual([['lookup'], ['finish']]);
    }
  });

  it('streams a ReAct inside a composed module, also after clone(), matched by instance', async () => {
    class Agent extends Module<{ question: string }, unknown> {
      inner = new ReAct('question: string -> answer: string', { tools: [lookup], nativeToolCalls: false });
      override async forward(inputs: { question: string }) {
        return this.inner.forward(inputs);
      }
    }
    const program = new Agent();
    const copy = program.clone().setLM(agentLM());
    const run = streamify(copy, { listeners: [{ predictor: program.inner.extract, field: 'answer' }] });
    const events = await collect(run({ question: 'Paris?' }));
    expect(joined(events)).toEqual({ 'inner.extract.predict/answer': '2.1 million' });
  });

  it('streams the code, then the answer, of a ProgramOfThought', async () => {
    const lm = new ScriptedLM(
      [
        { reasoning: 'Double it.', code: 'inputs.n * 2' },
        { reasoning: 'The code gave 42.', answer: 42 },
      ],
      { chunkChars: 2 },
    );
    const pot = new ProgramOfThought('n: number -> answer: number', { lm, timeoutMs: 2000 });
    const run = streamify(pot, {
      listeners: [
        { predictor: 'generate', field: 'code' },
        { predictor: 'answer.predict', field: 'answer' },
      ],
    });
    const events = await collect(run({ n: 21 }));
    expect(joined(events)).toEqual({
      'generate.predict/code': 'inputs.n * 2',
      'answer.predict/answer': '42',
    });
    const last = events.at(-1);
    expect(last?.type === 'prediction' && last.prediction.answer).toBe(42);
  });
});
