import { describe, expect, it } from 'vitest';
import { createChatStreamParser } from '../../src/adapters/index.js';
import {
  ChatAdapter,
  DspyError,
  JSONAdapter,
  type LanguageModel,
  signature,
  ToolCalls,
} from '../../src/index.js';
import { agentSpec as spec } from './tools-fixtures.js';

const text = new ChatAdapter({ nativeToolCalls: false, fallback: false });
const native = new ChatAdapter({ nativeToolCalls: true, fallback: false });
const completion = (calls: string) =>
  `[[ ## thought ## ]]\nCheck.\n\n[[ ## calls ## ]]\n${calls}\n\n[[ ## completed ## ]]`;

function parseError(run: () => unknown): DspyError {
  try {
    run();
  } catch (err) {
    if (err instanceof DspyError) return err;
    throw err;
  }
  throw new Error('expected a DspyError');
}

describe('ToolCalls in text mode (ChatAdapter.parse)', () => {
  it.each([
    ['a JSON list of { name, args }', '[{"name": "weather", "args": {"city": "Paris"}}]'],
    ['a fenced list', '```json\n[{"name": "weather", "args": {"city": "Paris"}}]\n```'],
    ['{ calls: [...] }', '{"calls": [{"name": "weather", "args": {"city": "Paris"}}]}'],
    [
      'the wire form with JSON-text arguments',
      '[{"type": "function", "function": {"name": "weather", "arguments": "{\\"city\\": \\"Paris\\"}"}}]',
    ],
    ['one call on its own', '{"name": "weather", "args": {"city": "Paris"}}'],
    ['a list with a trailing comma and single quotes', "[{'name': 'weather', 'args': {'city': 'Paris'}},]"],
  ])('reads %s as a ToolCalls', (_label, calls) => {
    const out = text.parse(spec, completion(calls));
    expect(out.thought).toBe('Check.');
    expect(ToolCalls.isToolCalls(out.calls)).toBe(true);
    expect((out.calls as ToolCalls).calls).toEqual([{ name: 'weather', args: { city: 'Paris' } }]);
  });

  it('reads [] as no call', () => {
    const out = text.parse(spec, completion('[]'));
    expect((out.calls as ToolCalls).length).toBe(0);
  });

  it.each([
    ['text that is not JSON', 'call the weather tool', 'not valid JSON'],
    ['a call without a name', '[{"args": {"city": "Paris"}}]', "call 0 has no 'name'"],
    [
      'arguments that are not an object',
      '[{"name": "weather", "args": [1]}]',
      "the arguments of call 0 ('weather') are not an object",
    ],
  ])('fails with ADAPTER_PARSE naming the problem for %s', (_label, calls, problem) => {
    const err = parseError(() => text.parse(spec, completion(calls)));
    expect(err.code).toBe('ADAPTER_PARSE');
    expect(err.message).toContain("output field 'calls' is invalid");
    expect(err.message).toContain(problem);
    expect(err.details.field).toBe('calls');
  });

  it('requires the calls field in text mode', () => {
    const err = parseError(() => text.parse(spec, '[[ ## thought ## ]]\nDone.'));
    expect(err.code).toBe('ADAPTER_PARSE');
    expect(err.message).toContain("missing output field 'calls'");
  });
});

describe('ToolCalls in native mode (ChatAdapter.parse with the response tool calls)', () => {
  const toolCalls = [{ id: 'call_9', name: 'weather', arguments: { city: 'Paris' } }];

  it('takes the calls from the response, ids kept, and the other fields from the text', () => {
    const out = native.parse(spec, '[[ ## thought ## ]]\nCheck.\n\n[[ ## completed ## ]]', { toolCalls });
    expect(out.thought).toBe('Check.');
    expect((out.calls as ToolCalls).calls).toEqual([
      { id: 'call_9', name: 'weather', args: { city: 'Paris' } },
    ]);
  });

  it('does not read calls the model wrote as text', () => {
    const out = native.parse(spec, completion('[{"name": "weather", "args": {}}]'));
    expect((out.calls as ToolCalls).length).toBe(0);
  });

  it('gives an empty ToolCalls when the model answered without calls', () => {
    const out = native.parse(spec, '[[ ## thought ## ]]\nAll done.');
    expect(out).toEqual({ thought: 'All done.', calls: new ToolCalls([]) });
  });

  it('leaves out the text fields a model that called tools did not write (a required thought becomes "")', () => {
    expect(native.parse(spec, '', { toolCalls }).thought).toBe('');
  });

  it('takes a plain text without field markers beside the calls as the whole thought', () => {
    expect(native.parse(spec, '  Let me check the weather.\nThen answer.  ', { toolCalls }).thought).toBe(
      'Let me check the weather.\nThen answer.',
    );
    const json = new JSONAdapter({ nativeToolCalls: true });
    expect(json.parse(spec, 'Let me check.', { toolCalls }).thought).toBe('Let me check.');
  });

  it('still requires the text fields when the model called nothing', () => {
    expect(parseError(() => native.parse(spec, 'no markers')).code).toBe('ADAPTER_PARSE');
    expect(parseError(() => native.parse(spec, '')).code).toBe('LM_EMPTY');
  });

  it('fails with ADAPTER_PARSE when a call has arguments that are not JSON', () => {
    const bad = [
      {
        id: 'c',
        name: 'weather',
        arguments: {},
        rawArguments: '{"city": "Par',
        argumentsError: 'not valid JSON',
      },
    ];
    const err = parseError(() => native.parse(spec, '', { toolCalls: bad }));
    expect(err.code).toBe('ADAPTER_PARSE');
    expect(err.message).toContain("the arguments of tool call 0 ('weather') are not a JSON object");
  });

  it("resolves 'auto' from the LM given to parse", () => {
    const auto = new ChatAdapter({ fallback: false });
    const lm = { model: 'm', supportsToolCalls: true } as LanguageModel;
    const out = auto.parse(spec, '[[ ## thought ## ]]\nCheck.', { lm, toolCalls });
    expect((out.calls as ToolCalls).calls[0]?.id).toBe('call_9');
    expect(() => auto.parse(spec, '[[ ## thought ## ]]\nCheck.', { toolCalls })).toThrow(
      /missing output field 'calls'/,
    );
  });
});

describe('ToolCalls in JSONAdapter', () => {
  it('reads the calls as a JSON array inside the object in text mode', () => {
    const out = new JSONAdapter({ nativeToolCalls: false }).parse(
      spec,
      '{"thought": "Check.", "calls": [{"name": "weather", "args": {"city": "Paris"}}]}',
    );
    expect((out.calls as ToolCalls).calls).toEqual([{ name: 'weather', args: { city: 'Paris' } }]);
  });

  it('takes the native calls and accepts an empty content when the model called tools', () => {
    const adapter = new JSONAdapter({ nativeToolCalls: true });
    const toolCalls = [{ id: 'c1', name: 'weather', arguments: { city: 'Paris' } }];
    expect(adapter.parse(spec, '', { toolCalls })).toEqual({
      thought: '',
      calls: new ToolCalls([{ id: 'c1', name: 'weather', args: { city: 'Paris' } }]),
    });
    expect(adapter.parse(spec, '{"thought": "Done."}')).toEqual({
      thought: 'Done.',
      calls: new ToolCalls([]),
    });
  });

  it('asks for the calls as an array in its json_schema in text mode, and leaves them out in native mode', () => {
    const structured = { model: 'm', supportsStructuredOutputs: true } as LanguageModel;
    const textSchema = new JSONAdapter({ nativeToolCalls: false }).requestOptions(spec, structured);
    expect(textSchema.responseFormat).toMatchObject({
      type: 'json_schema',
      schema: {
        properties: {
          thought: { type: 'string' },
          calls: {
            type: 'array',
            items: { type: 'object', properties: { name: { type: 'string' } }, required: ['name', 'args'] },
          },
        },
        required: ['thought', 'calls'],
      },
    });
    const nativeLm = { ...structured, supportsToolCalls: true } as LanguageModel;
    const nativeSchema = new JSONAdapter().requestOptions(spec, nativeLm);
    expect(nativeSchema.responseFormat).toEqual({
      type: 'json_schema',
      name: spec.name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'outputs',
      schema: {
        type: 'object',
        properties: { thought: { type: 'string' } },
        required: ['thought'],
        additionalProperties: false,
      },
      strict: true,
    });
  });
});

describe('ChatStreamParser on a ToolCalls field (text mode)', () => {
  const calls =
    '[\n  {"name": "weather", "args": {"city": "[[Paris]]"}},\n  {"name": "time", "args": {"zones": [[1, 2]]}}\n]';
  const whole = `[[ ## thought ## ]]\nCheck.\n\n[[ ## calls ## ]]\n${calls}\n\n[[ ## completed ## ]]\n`;

  it('streams the JSON text of the calls at every split, and the joined text parses to the same calls', () => {
    const expected = (text.parse(spec, whole).calls as ToolCalls).calls;
    expect(expected.map((c) => c.name)).toEqual(['weather', 'time']);
    for (let i = 1; i < whole.length; i++) {
      const parser = createChatStreamParser(spec);
      const deltas = [...parser.push(whole.slice(0, i)), ...parser.push(whole.slice(i)), ...parser.end()];
      const got = deltas
        .filter((d) => d.field === 'calls')
        .map((d) => d.delta)
        .join('');
      expect(got).toBe(calls);
    }
  });
});

describe('a native signature whose only output is its ToolCalls', () => {
  const only = signature('question, tools: Tool[] -> calls: ToolCalls');

  it.each([
    ['ChatAdapter', new ChatAdapter({ nativeToolCalls: true })],
    ['JSONAdapter', new JSONAdapter({ nativeToolCalls: true })],
  ])('%s asks only for calls and reads an empty answer as no call', (_n, adapter) => {
    const messages = adapter.format(only, { inputs: { question: 'q', tools: [] } });
    const system = messages[0]?.content ?? '';
    expect(system).not.toContain('Your output fields are:');
    expect(system).not.toContain('Outputs will be');
    expect(messages.at(-1)?.content).toBe('[[ ## question ## ]]\nq\n\nRespond by calling tools.');
    expect(adapter.parse(only, '')).toEqual({ calls: new ToolCalls([]) });
    const toolCalls = [{ id: 'a', name: 'weather', arguments: {} }];
    expect((adapter.parse(only, '', { toolCalls }).calls as ToolCalls).calls).toEqual([
      { id: 'a', name: 'weather', args: {} },
    ]);
  });
});
