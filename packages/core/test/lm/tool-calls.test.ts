import { ScriptedLM, startTestServer, type TestServer } from '@dspy-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChatMessage,
  callLM,
  getHistory,
  inspectHistory,
  LM,
  type LMRequest,
  MemoryCache,
  registerProvider,
  streamLM,
  type ToolDefinition,
  tool,
  toolDefinition,
} from '../../src/index.js';
import { clearHistory } from '../../src/internal.js';

let server: TestServer;
/** Calls `weather` and `time` when offered tools, else answers the last message's text. */
const backing = new ScriptedLM((req: LMRequest) =>
  req.tools && req.tools.length > 0
    ? {
        toolCalls: [
          { name: 'weather', arguments: { city: 'Paris, the capital of France' } },
          { name: 'time', arguments: '{"zone": "Europe/Par' },
        ],
      }
    : `saw: ${req.messages.at(-1)?.content ?? ''}`,
);

beforeAll(async () => {
  server = await startTestServer({ lm: backing, streamChunkChars: 4 });
});
afterAll(async () => {
  await server.close();
});

const make = () =>
  new LM('openai/gpt-4o-mini', { baseURL: server.url, apiKey: 'k', cache: new MemoryCache(100) });
const chats = () => server.requests.filter((r) => r.path.endsWith('/chat/completions'));
/** The body of the last chat request. */
const lastBody = () => (chats().at(-1)?.body ?? {}) as Record<string, unknown>;
const weatherTool = tool((city: string) => `sunny in ${city}`, {
  name: 'weather',
  desc: 'Current weather of a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
});
const timeTool: ToolDefinition = { name: 'time', description: 'Local time.', parameters: { type: 'object' } };
const user = (content: string): ChatMessage[] => [{ role: 'user', content }];
const expectedCalls = [
  { id: 'call_1_1', name: 'weather', arguments: { city: 'Paris, the capital of France' } },
  {
    id: 'call_1_2',
    name: 'time',
    arguments: {},
    rawArguments: '{"zone": "Europe/Par',
    argumentsError: expect.stringContaining('not valid JSON'),
  },
];

describe('LM: tool calls over the openai SDK', () => {
  it('toolDefinition turns a Tool into the plain wire definition', () => {
    expect(toolDefinition(weatherTool)).toEqual({
      name: 'weather',
      description: 'Current weather of a city.',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    });
  });

  it('sends tools and tool_choice as function tools and reads tool_calls (JSON), never throwing on bad arguments', async () => {
    const lm = make();
    const res = await lm.call({
      messages: user('weather?'),
      tools: [toolDefinition(weatherTool), timeTool],
      toolChoice: 'required',
      cache: false,
    });
    const body = lastBody();
    expect(body.tools).toEqual([
      { type: 'function', function: toolDefinition(weatherTool) },
      { type: 'function', function: timeTool },
    ]);
    expect(body.tool_choice).toBe('required');
    expect(res.finishReason).toBe('tool_calls');
    expect(res.text).toBe('');
    expect(res.toolCalls?.map((c) => c.id)).toHaveLength(2);
    expect(res.toolCalls?.[0]).toMatchObject({
      name: 'weather',
      arguments: { city: 'Paris, the capital of France' },
    });
    expect(res.toolCalls?.[1]).toMatchObject({ name: 'time', rawArguments: '{"zone": "Europe/Par' });
    await lm.call({
      messages: user('weather?'),
      tools: [timeTool],
      toolChoice: { name: 'time' },
      cache: false,
    });
    expect(lastBody().tool_choice).toEqual({
      type: 'function',
      function: { name: 'time' },
    });
  });

  it('streams: tool-call deltas (interleaved, chunked arguments) are assembled into the same shape', async () => {
    const lm = make();
    let text = '';
    let last: Awaited<ReturnType<LM['call']>> | undefined;
    for await (const chunk of streamLM(lm, { messages: user('stream?'), tools: [weatherTool, timeTool] })) {
      text += chunk.delta;
      if (chunk.response) last = chunk.response;
    }
    const rec = chats().at(-1);
    expect(rec?.outcome.stream).toBe(true);
    expect(text).toBe('');
    expect(last?.finishReason).toBe('tool_calls');
    expect(last?.toolCalls).toEqual(
      expectedCalls.map((c, i) => ({ ...c, id: last?.toolCalls?.[i]?.id ?? 'missing' })),
    );
    expect(last?.toolCalls?.[0]?.id).toMatch(/^call_\d+_1$/);
  });

  it('the cache key covers tools and tool choice: same messages, different tools are two calls', async () => {
    const lm = make();
    const before = chats().length;
    const a = await lm.call({ messages: user('key?'), tools: [weatherTool] });
    const b = await lm.call({ messages: user('key?'), tools: [timeTool] });
    const c = await lm.call({ messages: user('key?'), tools: [timeTool], toolChoice: 'required' });
    const d = await lm.call({ messages: user('key?'), tools: [weatherTool] });
    expect(chats().length - before).toBe(3);
    expect([a.cacheHit, b.cacheHit, c.cacheHit, d.cacheHit]).toEqual([false, false, false, true]);
    expect(d.toolCalls).toEqual(a.toolCalls);
    expect(d.toolCalls).not.toBe(a.toolCalls);
  });

  it('sends tool results as tool messages and the calls as an assistant message with tool_calls', async () => {
    const lm = make();
    const messages: ChatMessage[] = [
      { role: 'user', content: 'weather?' },
      {
        role: 'assistant',
        content: '',
        toolCalls: expectedCalls.map((c) => ({ ...c, argumentsError: 'x' })),
      },
      { role: 'tool', toolCallId: 'call_1_1', content: 'sunny' },
      { role: 'tool', toolCallId: 'call_1_2', content: '14:00' },
    ];
    clearHistory();
    const res = await lm.call({ messages, cache: false });
    expect(res.text).toBe('saw: 14:00');
    expect((lastBody().messages as unknown[]).slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1_1',
            type: 'function',
            function: { name: 'weather', arguments: '{"city":"Paris, the capital of France"}' },
          },
          { id: 'call_1_2', type: 'function', function: { name: 'time', arguments: '{"zone": "Europe/Par' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1_1', content: 'sunny' },
      { role: 'tool', tool_call_id: 'call_1_2', content: '14:00' },
    ]);
  });

  it('history and inspectHistory show tool messages and tool calls', async () => {
    const lm = make();
    clearHistory();
    await callLM(lm, { messages: user('hist?'), tools: [weatherTool, timeTool], cache: false });
    await callLM(lm, {
      messages: [
        { role: 'user', content: 'hist?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'c9', name: 'weather', arguments: { city: 'Oslo' } }],
        },
        { role: 'tool', toolCallId: 'c9', content: 'snow' },
      ],
      cache: false,
    });
    const [first, second] = getHistory(2);
    expect(first?.toolCalls?.map((c) => c.name)).toEqual(['weather', 'time']);
    expect(second?.messages[2]).toEqual({ role: 'tool', toolCallId: 'c9', content: 'snow' });
    const text = inspectHistory(2, { write: false, color: false });
    expect(text).toMatch(/Tool call call_\d+_1: weather\(\{"city":"Paris, the capital of France"\}\)/);
    expect(text).toContain('Tool call c9: weather({"city":"Oslo"})');
    expect(text).toContain('Tool message (result of c9):\n\nsnow');
    expect(text).toMatch(/time\(\{"zone": "Europe\/Par\)\s+\[arguments not valid JSON/);
  });
});

describe('LM: tool checks before any request', () => {
  it('a provider without function calling refuses tools with LM_CONFIG naming the fallback', async () => {
    registerProvider({
      name: 'plaintext',
      baseURL: server.url,
      requiresKey: false,
      supportsStructuredOutputs: false,
      supportsToolCalls: false,
    });
    const lm = new LM('plaintext/m', { cache: false });
    expect(lm.supportsToolCalls).toBe(false);
    const before = chats().length;
    const err = await lm.call({ messages: user('x'), tools: [timeTool] }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'LM_CONFIG',
      message: expect.stringContaining('does not take tools'),
      details: { fix: expect.stringContaining('describe them in the prompt as text') },
    });
    expect(chats().length).toBe(before);
    expect(make().supportsToolCalls).toBe(true);
    expect(new LM('plaintext/m', { supportsToolCalls: true }).supportsToolCalls).toBe(true);
  });

  it('a tool choice that does not fit the tools is LM_CONFIG', async () => {
    const lm = make();
    await expect(
      lm.call({ messages: user('x'), tools: [timeTool], toolChoice: { name: 'weather' } }),
    ).rejects.toMatchObject({
      code: 'LM_CONFIG',
      message: expect.stringContaining("toolChoice names 'weather'"),
    });
    await expect(lm.call({ messages: user('x'), toolChoice: 'required' })).rejects.toMatchObject({
      code: 'LM_CONFIG',
    });
    await expect(lm.call({ messages: user('x'), tools: [timeTool, timeTool] })).rejects.toMatchObject({
      code: 'LM_CONFIG',
      message: expect.stringContaining("two tools are named 'time'"),
    });
  });
});
