import {
  ChatAdapter,
  JSONAdapter,
  type LanguageModel,
  LM,
  type LMRequest,
  MemoryCache,
  Predict,
  ToolCalls,
  tool,
} from '@dspy-ts/core';
import { ScriptedLM, startTestServer, type TestServer } from '@dspy-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const weather = tool((city: string) => `sunny in ${city}`, {
  name: 'weather',
  desc: 'Weather of a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
});
const SIG = 'question, tools: Tool[] -> answer, calls: ToolCalls';
/** The fields of a stream event these tests read. */
interface Ev {
  readonly type: string;
  readonly field?: string;
  readonly delta?: string;
  readonly prediction?: { readonly calls: ToolCalls };
}

/** Calls `weather` natively when the request carries tools; else writes the calls as a text field. */
const backing = new ScriptedLM((req: LMRequest) =>
  req.tools && req.tools.length > 0
    ? { toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }] }
    : { answer: 'Checking.', calls: [{ name: 'weather', args: { city: 'Rome' } }] },
);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ lm: backing, streamChunkChars: 5 });
});
afterAll(async () => {
  await server.close();
});

const lmWith = (supportsToolCalls: boolean) =>
  new LM('openai/gpt-4o-mini', {
    baseURL: server.url,
    apiKey: 'k',
    cache: new MemoryCache(10),
    supportsToolCalls,
  });
const lastBody = () =>
  (server.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.body ?? {}) as Record<
    string,
    unknown
  >;

describe('native tool calls through the openai client and the test server', () => {
  it.each([
    ['ChatAdapter', new ChatAdapter()],
    ['JSONAdapter', new JSONAdapter()],
  ])(
    "%s under 'auto' sends the tools, reads the calls with their ids, and execute() runs them",
    async (_n, adapter) => {
      const pick = new Predict(SIG, { lm: lmWith(true), adapter });
      const pred = await pick.forward({ question: 'Weather in Paris?', tools: [weather] });
      const body = lastBody();
      expect(body.tools).toEqual([
        {
          type: 'function',
          function: {
            name: 'weather',
            description: 'Weather of a city.',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        },
      ]);
      expect(body.tool_choice).toBe('auto');
      const messages = body.messages as { content: string }[];
      expect(messages.some((m) => m.content.includes('[[ ## tools ## ]]'))).toBe(false);
      expect(ToolCalls.isToolCalls(pred.calls)).toBe(true);
      expect(pred.calls.calls).toEqual([
        { id: expect.stringMatching(/^call_/), name: 'weather', args: { city: 'Paris' } },
      ]);
      const results = await pred.calls.execute([weather]);
      expect(results).toEqual([
        {
          id: pred.calls.calls[0]?.id,
          name: 'weather',
          ok: true,
          content: 'sunny in Paris',
          value: 'sunny in Paris',
        },
      ]);
    },
  );

  it("under 'auto' renders the tools as text for an LM without tool calls and parses the written calls", async () => {
    const pick = new Predict(SIG, { lm: lmWith(false) });
    const pred = await pick.forward({ question: 'Weather in Rome?', tools: [weather] });
    const body = lastBody();
    expect(body.tools).toBeUndefined();
    const user = (body.messages as { content: string }[]).at(-1)?.content ?? '';
    expect(user).toContain('[[ ## tools ## ]]\n[{"name":"weather","description":"Weather of a city."');
    expect(pred.answer).toBe('Checking.');
    expect(pred.calls.calls).toEqual([{ name: 'weather', args: { city: 'Rome' } }]);
    const results = await pred.calls.execute([weather]);
    expect(results.map((r) => r.content)).toEqual(['sunny in Rome']);
  });

  it('streams: native calls arrive with the final response, and a ToolCalls text field streams and parses', async () => {
    const collect = async (lm: LM) => {
      const pick = new Predict(SIG, { lm });
      const events: Ev[] = [];
      for await (const ev of pick.stream({ question: 'Weather?', tools: [weather] })) events.push(ev as Ev);
      return events;
    };
    const native = await collect(lmWith(true));
    const nativeFinal = native.at(-1);
    expect(nativeFinal?.type).toBe('prediction');
    expect(nativeFinal?.prediction?.calls.calls).toEqual([
      { id: expect.stringMatching(/^call_/), name: 'weather', args: { city: 'Paris' } },
    ]);
    const text = await collect(lmWith(false));
    const callsText = text
      .filter((e) => e.type === 'delta' && e.field === 'calls')
      .map((e) => e.delta)
      .join('');
    expect(callsText).toBe('[{"name":"weather","args":{"city":"Rome"}}]');
    expect(text.at(-1)?.prediction?.calls.calls).toEqual([{ name: 'weather', args: { city: 'Rome' } }]);
  });
});

describe('the JSON fallback with tools', () => {
  it('retries with the same tool-call mode: the retry sends the tools again and reads the native calls', async () => {
    const lm = new ScriptedLM([
      'no markers at all',
      { toolCalls: [{ name: 'weather', arguments: { city: 'Oslo' } }] },
    ]);
    // An LM that does not say it supports tool calls: only the adapter's setting makes the calls native.
    const plain: LanguageModel = { model: 'plain', call: (req) => lm.call(req) };
    const pick = new Predict(SIG, { lm: plain, adapter: new ChatAdapter({ nativeToolCalls: true }) });
    const pred = await pick.forward({ question: 'Weather in Oslo?', tools: [weather] });
    expect(lm.requests.map((r) => r.tools?.map((t) => t.name))).toEqual([['weather'], ['weather']]);
    expect(pred.calls.calls).toEqual([{ id: 'call_2_1', name: 'weather', args: { city: 'Oslo' } }]);
  });
});
