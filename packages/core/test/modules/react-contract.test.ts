// One list of scripted decisions, driven through the real `openai` client and the test server
// both ways: the model writing its calls as a text field, and calling tools natively. The
// agent must take the same steps, get the same results and give the same outputs either way.
import { inspectHistory, LM, MemoryCache, ReAct, tool } from '@dspy-ts/core';
import { clearHistory } from '@dspy-ts/core/internal';
import { ScriptedLM, startTestServer } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { add, type Decision, nativeTurn, plainSteps, textTurn } from './react-helpers.js';

const lookupOrder = tool((id: string) => ({ id, status: id === 'A1' ? 'shipped' : 'unknown' }), {
  name: 'lookup_order',
  desc: 'Finds an order by id.',
  parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
});

const weather = tool((city: string) => `${city}: 18°C, clear`, {
  name: 'weather',
  desc: 'Current weather of a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
});

const DECISIONS: readonly Decision[] = [
  {
    thought: 'Look up the order and the weather at once.',
    calls: [
      { name: 'lookup_order', args: { id: 'A1' } },
      { name: 'weather', args: { city: 'Paris' } },
    ],
  },
  {
    thought: 'Add the days, once badly.',
    calls: [
      { name: 'add', args: { a: 2, b: 3 } },
      { name: 'add', args: { a: 'two' } },
      { name: 'track_parcel', args: { id: 'A1' } },
    ],
  },
  { thought: 'I have all I need.', calls: [{ name: 'finish', args: {} }] },
];

const FINAL = { reasoning: 'The order shipped; delivery in 5 days.', answer: 'Shipped, 5 days.' };

const EXPECTED = [
  {
    thought: 'Look up the order and the weather at once.',
    calls: DECISIONS[0]?.calls,
    results: [
      { name: 'lookup_order', ok: true, content: '{"id":"A1","status":"shipped"}' },
      { name: 'weather', ok: true, content: 'Paris: 18°C, clear' },
    ],
  },
  {
    thought: 'Add the days, once badly.',
    calls: DECISIONS[1]?.calls,
    results: [
      { name: 'add', ok: true, content: '5' },
      { name: 'add', ok: false, content: expect.stringMatching(/^Error: tool 'add': invalid arguments/) },
      {
        name: 'track_parcel',
        ok: false,
        content:
          "Error: there is no tool named 'track_parcel'; use one of: lookup_order, weather, add, finish.",
      },
    ],
  },
  {
    thought: 'I have all I need.',
    calls: DECISIONS[2]?.calls,
    results: [{ name: 'finish', ok: true, content: 'Done.' }],
  },
];

async function runAgent(mode: 'text' | 'native') {
  const turns = DECISIONS.map((d) => (mode === 'text' ? textTurn(d) : nativeTurn(d)));
  const backing = new ScriptedLM([...turns, FINAL]);
  const server = await startTestServer({ lm: backing });
  try {
    const lm = new LM('openai/gpt-4o-mini', { baseURL: server.url, apiKey: 'k', cache: new MemoryCache(10) });
    const agent = new ReAct('question: string -> answer: string', {
      tools: [lookupOrder, weather, add],
      lm,
      nativeToolCalls: mode === 'native',
    });
    const pred = await agent.forward({ question: 'Where is order A1, and how long until it arrives?' });
    return { pred, backing };
  } finally {
    await server.close();
  }
}

afterEach(() => {
  clearHistory();
});

describe('ReAct contract: the same decisions give the same run, as text or as native tool calls', () => {
  for (const mode of ['text', 'native'] as const) {
    it(`${mode}: steps, results and outputs`, async () => {
      const { pred, backing } = await runAgent(mode);
      expect(plainSteps(pred.trajectory)).toEqual(EXPECTED);
      expect(pred.answer).toBe('Shipped, 5 days.');
      expect(pred.reasoning).toBe(FINAL.reasoning);
      expect(pred.lmCalls).toBe(4);
      // Every result answers a call of its step, by id, in call order.
      for (const step of pred.trajectory.messages) {
        expect(step.results.map((r) => r.id)).toEqual(step.toolCalls.calls.map((c) => c.id));
      }
      const sentTools = backing.requests.map((r) => (r.tools ?? []).map((t) => t.name));
      if (mode === 'native') {
        expect(sentTools.slice(0, 3)).toEqual(Array(3).fill(['lookup_order', 'weather', 'add', 'finish']));
      } else {
        expect(sentTools.every((names) => names.length === 0)).toBe(true);
      }
    });
  }

  it('native: the model sees each step as its tool calls, then one tool message per result, by id', async () => {
    const { pred, backing } = await runAgent('native');
    const third = backing.requests[2]?.messages ?? [];
    const calls = third.flatMap((m) =>
      m.role === 'assistant' && m.toolCalls ? m.toolCalls.map((c) => c.id) : [],
    );
    const answered = third.flatMap((m) => (m.role === 'tool' ? [m.toolCallId] : []));
    const ids = pred.trajectory.messages.slice(0, 2).flatMap((s) => s.toolCalls.calls.map((c) => c.id));
    expect(calls).toEqual(ids);
    expect(answered).toEqual(ids);
    const shown = inspectHistory(2, { write: false, color: false });
    expect(shown).toContain(`Tool call ${ids[0]}: lookup_order({"id":"A1"})`);
    expect(shown).toContain(`Tool message (result of ${ids[0]}):\n\n{"id":"A1","status":"shipped"}`);
  });
});
