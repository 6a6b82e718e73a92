import { type LMRequest, ReAct, tool } from '@dspy-ts/core';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { ScriptedLM, startTestServer } from '../../src/index.js';

const client = (url: string) => new OpenAI({ baseURL: url, apiKey: 'k', maxRetries: 0 });

const weather = {
  type: 'function' as const,
  function: {
    name: 'weather',
    description: 'Current weather of a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const time = {
  type: 'function' as const,
  function: { name: 'time', description: 'Local time.', parameters: { type: 'object', properties: {} } },
};
const ask = {
  model: 'gpt-test',
  messages: [{ role: 'user' as const, content: 'Weather and time in Paris?' }],
};

const twoCalls = () =>
  new ScriptedLM([
    {
      toolCalls: [
        { name: 'weather', arguments: { city: 'Paris, the capital of France' } },
        { name: 'time', arguments: { zone: 'Europe/Paris', format: '24h' }, id: 'call_time' },
      ],
    },
  ]);

describe('startTestServer: function calling', () => {
  it('takes tools and tool_choice, hands them to the model and answers its tool_calls (JSON)', async () => {
    const lm = twoCalls();
    await using server = await startTestServer({ lm });
    const res = await client(server.url).chat.completions.create({
      ...ask,
      tools: [weather, time],
      tool_choice: { type: 'function', function: { name: 'weather' } },
    });
    const choice = res.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([
      {
        id: 'call_1_1',
        type: 'function',
        function: { name: 'weather', arguments: '{"city":"Paris, the capital of France"}' },
      },
      {
        id: 'call_time',
        type: 'function',
        function: { name: 'time', arguments: '{"zone":"Europe/Paris","format":"24h"}' },
      },
    ]);
    const received = lm.requests[0] as LMRequest;
    expect(received.tools).toEqual([
      { name: 'weather', description: weather.function.description, parameters: weather.function.parameters },
      { name: 'time', description: 'Local time.', parameters: { type: 'object', properties: {} } },
    ]);
    expect(received.toolChoice).toEqual({ name: 'weather' });
    expect(received.extra).toBeUndefined();
    expect(server.requests[0]?.lmRequest?.tools?.map((t) => t.name)).toEqual(['weather', 'time']);
  });

  it('streams tool calls with arguments split over several chunks, the two calls interleaved', async () => {
    await using server = await startTestServer({ lm: twoCalls(), streamChunkChars: 5 });
    const stream = await client(server.url).chat.completions.create({
      ...ask,
      tools: [weather, time],
      stream: true,
    });
    const deltas: { index: number; id?: string; name?: string; args: string }[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      const c = chunk.choices[0];
      if (c?.finish_reason) finish = c.finish_reason;
      for (const d of c?.delta.tool_calls ?? []) {
        deltas.push({ index: d.index, id: d.id, name: d.function?.name, args: d.function?.arguments ?? '' });
      }
    }
    expect(finish).toBe('tool_calls');
    expect(deltas.slice(0, 4).map((d) => d.index)).toEqual([0, 1, 0, 1]);
    expect(deltas.filter((d) => d.id).map((d) => [d.index, d.id, d.name])).toEqual([
      [0, 'call_1_1', 'weather'],
      [1, 'call_time', 'time'],
    ]);
    const joined = (i: number) =>
      deltas
        .filter((d) => d.index === i)
        .map((d) => d.args)
        .join('');
    expect(deltas.filter((d) => d.index === 0).length).toBeGreaterThan(3);
    expect(JSON.parse(joined(0))).toEqual({ city: 'Paris, the capital of France' });
    expect(JSON.parse(joined(1))).toEqual({ zone: 'Europe/Paris', format: '24h' });
  });

  it('accepts tool result messages and assistant messages with tool_calls', async () => {
    const lm = new ScriptedLM(() => 'It is sunny.');
    await using server = await startTestServer({ lm });
    const res = await client(server.url).chat.completions.create({
      model: 'gpt-test',
      tools: [weather],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      ],
    });
    expect(res.choices[0]?.message.content).toBe('It is sunny.');
    expect(res.choices[0]?.finish_reason).toBe('stop');
    expect(lm.requests[0]?.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'c1', name: 'weather', arguments: { city: 'Paris' } }],
      },
      { role: 'tool', toolCallId: 'c1', content: 'sunny' },
    ]);
  });

  it('answers 400 for a tool message without tool_call_id and a tool_choice naming no tool', async () => {
    await using server = await startTestServer({ lm: new ScriptedLM(() => 'x') });
    const c = client(server.url);
    await expect(
      c.chat.completions.create({
        model: 'm',
        messages: [{ role: 'tool', content: 'sunny' } as unknown as OpenAI.ChatCompletionMessageParam],
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('tool_call_id') });
    await expect(
      c.chat.completions.create({
        ...ask,
        tools: [weather],
        tool_choice: { type: 'function', function: { name: 'nope' } },
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('"nope"') });
  });
});

describe('ScriptedLM: tool calls', () => {
  it('answers { toolCalls } with deterministic ids, finish reason tool_calls, and raw arguments kept', async () => {
    const lm = new ScriptedLM([
      {
        toolCalls: [
          { name: 'search', arguments: { q: 'a' } },
          { name: 'search', arguments: '{"q":' },
        ],
      },
      { toolCalls: [{ name: 'finish' }], text: 'done' },
      { answer: 'plain' },
    ]);
    const messages = [{ role: 'user' as const, content: 'go' }];
    const first = await lm.call({ messages });
    expect(first.finishReason).toBe('tool_calls');
    expect(first.text).toBe('');
    expect(first.toolCalls).toEqual([
      { id: 'call_1_1', name: 'search', arguments: { q: 'a' } },
      {
        id: 'call_1_2',
        name: 'search',
        arguments: {},
        rawArguments: '{"q":',
        argumentsError: expect.stringContaining('not valid JSON'),
      },
    ]);
    const second = await lm.call({ messages });
    expect(second).toMatchObject({
      text: 'done',
      toolCalls: [{ id: 'call_2_1', name: 'finish', arguments: {} }],
    });
    const third = await lm.call({ messages });
    expect(third.toolCalls).toBeUndefined();
    expect(third.finishReason).toBe('stop');
  });

  it('streams the text, then a last chunk whose response holds the tool calls', async () => {
    const lm = new ScriptedLM([
      { toolCalls: [{ name: 'search', arguments: { q: 'x' } }], text: 'Searching' },
    ]);
    const chunks = [];
    for await (const c of lm.stream({ messages: [{ role: 'user', content: 'go' }] })) chunks.push(c);
    expect(chunks.map((c) => c.delta).join('')).toBe('Searching');
    expect(chunks.at(-1)?.response?.toolCalls).toEqual([
      { id: 'call_1_1', name: 'search', arguments: { q: 'x' } },
    ]);
  });
});

describe('ScriptedLM: an output object of a native tool-calling turn', () => {
  it('answers the ToolCalls value the prompt leaves out as native calls, and the rest as text', async () => {
    const lookup = tool((id: string) => `order ${id}: shipped`, {
      name: 'lookup',
      parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
    });
    const lm = new ScriptedLM([
      { nextThought: 'Look it up.', toolCalls: { calls: [{ name: 'lookup', args: { id: 'A-1' } }] } },
      { nextThought: 'Done.', toolCalls: [] },
      { reasoning: 'It shipped.', answer: 'shipped' },
    ]);
    const agent = new ReAct('question -> answer', { tools: [lookup], lm, nativeToolCalls: true });
    const pred = await agent.forward({ question: 'Where is A-1?' });
    expect(lm.requests[0]?.tools?.map((t) => t.name)).toEqual(['lookup', 'finish']);
    const [step] = pred.trajectory.messages;
    expect(step?.thought).toBe('Look it up.');
    expect(step?.results.map((r) => [r.id, r.content])).toEqual([['call_1_1', 'order A-1: shipped']]);
    expect(pred.answer).toBe('shipped');
  });
});
