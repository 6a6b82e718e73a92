import { type CallbackEventName, ReAct, streamify, tool, withSettings } from '@dspy-ts/core';
import { ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, it } from 'vitest';

const lookup = tool((city: string) => `${city} has 2.1 million people`, {
  name: 'lookup',
  desc: 'Looks a city up.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
});

const agentLM = () =>
  new ScriptedLM([
    { nextThought: 'Look it up.', toolCalls: { calls: [{ name: 'lookup', args: { city: 'Paris' } }] } },
    { nextThought: 'Done.', toolCalls: { calls: [{ name: 'finish', args: {} }] } },
    { reasoning: 'It said 2.1 million.', answer: '2.1 million' },
  ]);

/** One predictor call as the callbacks see it. */
const predictCall = (name: string) => [
  `moduleStart ${name}`,
  'formatStart ChatAdapter',
  'formatEnd ChatAdapter',
  'lmStart scripted',
  'lmEnd scripted',
  'parseStart ChatAdapter',
  'parseEnd ChatAdapter',
  `moduleEnd ${name}`,
];

const expected = [
  'moduleStart ReAct(StringSignature)',
  ...predictCall('Predict(StringSignature.react)'),
  'toolStart lookup',
  'toolEnd lookup',
  ...predictCall('Predict(StringSignature.react)'),
  'moduleStart ChainOfThought(StringSignature.extract)',
  ...predictCall('Predict(StringSignature.extract)'),
  'moduleEnd ChainOfThought(StringSignature.extract)',
  'moduleEnd ReAct(StringSignature)',
];

function recorder() {
  const events: string[] = [];
  const ids = new Map<string, CallbackEventName[]>();
  const callback = {
    onEvent: (name: CallbackEventName, e: object) => {
      const ev = e as { callId: string; module?: string; tool?: string; adapter?: string; model?: string };
      events.push(`${name} ${ev.module ?? ev.tool ?? ev.adapter ?? ev.model}`);
      ids.set(ev.callId, [...(ids.get(ev.callId) ?? []), name]);
    },
  };
  return { events, ids, callback };
}

describe('callbacks over a composed program', () => {
  it('reports module, adapter, LM and tool calls, nested and paired by call id', async () => {
    const { events, ids, callback } = recorder();
    const agent = new ReAct('question -> answer', { tools: [lookup], lm: agentLM(), nativeToolCalls: false });
    await withSettings({ callbacks: [callback] }, () => agent.forward({ question: 'Paris?' }));
    expect(events).toEqual(expected);
    for (const names of ids.values()) {
      expect(names).toHaveLength(2);
      expect(names[0]?.endsWith('Start')).toBe(true);
      expect(names[1]).toBe(names[0]?.replace('Start', 'End'));
    }
  });

  it('reports the same events when the program is streamed', async () => {
    const { events, callback } = recorder();
    const agent = new ReAct('question -> answer', { tools: [lookup], lm: agentLM(), nativeToolCalls: false });
    await withSettings({ callbacks: [callback] }, async () => {
      for await (const _ of streamify(agent)({ question: 'Paris?' })) {
        // drain
      }
    });
    expect(events).toEqual(expected);
  });
});
