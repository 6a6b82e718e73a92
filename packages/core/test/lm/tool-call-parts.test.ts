import { describe, expect, it } from 'vitest';
import { copyCached, isCachedResponse, ToolCallAssembler, toolCall } from '../../src/internal.js';

describe('toolCall: reading arguments text', () => {
  it('parses a JSON object; empty text is no arguments', () => {
    expect(toolCall('a', 'f', '{"x":[1,2]}')).toEqual({ id: 'a', name: 'f', arguments: { x: [1, 2] } });
    expect(toolCall('a', 'f', '  ')).toEqual({ id: 'a', name: 'f', arguments: {} });
  });

  it('keeps text that is not a JSON object raw, says why, and never throws', () => {
    expect(toolCall('a', 'f', '[1]')).toEqual({
      id: 'a',
      name: 'f',
      arguments: {},
      rawArguments: '[1]',
      argumentsError: 'not a JSON object but an array',
    });
    expect(toolCall('a', 'f', "{x: 'y'}")).toMatchObject({
      arguments: {},
      rawArguments: "{x: 'y'}",
      argumentsError: expect.stringMatching(/^not valid JSON: /),
    });
  });
});

describe('ToolCallAssembler', () => {
  it('joins interleaved argument chunks by index, whatever order the indexes come in', () => {
    const a = new ToolCallAssembler();
    expect(a.calls()).toBeUndefined();
    a.add([{ index: 1, id: 'c2', type: 'function', function: { name: 'g', arguments: '{"b"' } }]);
    a.add([{ index: 0, id: 'c1', type: 'function', function: { name: 'f', arguments: '' } }]);
    a.add([
      { index: 0, function: { arguments: '{"a":' } },
      { index: 1, function: { arguments: ':2}' } },
    ]);
    a.add([{ index: 0, function: { arguments: '1}' } }]);
    expect(a.calls()).toEqual([
      { id: 'c1', name: 'f', arguments: { a: 1 } },
      { id: 'c2', name: 'g', arguments: { b: 2 } },
    ]);
  });
});

describe('cached responses with tool calls', () => {
  it('are valid cache entries and are copied deeply', () => {
    const entry = {
      text: '',
      choices: [''],
      model: 'm',
      finishReason: 'tool_calls' as const,
      usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
      toolCalls: [{ id: 'c1', name: 'f', arguments: { deep: { x: 1 } } }],
    };
    expect(isCachedResponse(JSON.parse(JSON.stringify(entry)))).toBe(true);
    expect(isCachedResponse({ ...entry, toolCalls: [{ id: 'c1' }] })).toBe(false);
    const copy = copyCached(entry);
    expect(copy).toEqual(entry);
    expect(copy.toolCalls?.[0]?.arguments).not.toBe(entry.toolCalls[0]?.arguments);
    const copied = copy.toolCalls?.[0]?.arguments as { deep: object } | undefined;
    expect(copied?.deep).toEqual({ x: 1 });
    expect(copied?.deep).not.toBe(entry.toolCalls[0]?.arguments.deep);
  });
});
