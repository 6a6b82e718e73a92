import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  DspyError,
  type SpecInputs,
  type SpecOutputs,
  signature,
  type Tool,
  type ToolCalls,
} from '../../src/index.js';
import { isToolCallsField, isToolsField, TOOL_CALLS_SCHEMA, TOOLS_SCHEMA } from '../../src/internal.js';

function parseFailure(text: string): DspyError {
  try {
    signature(text);
  } catch (err) {
    if (err instanceof DspyError) return err;
    throw err;
  }
  throw new Error(`expected '${text}' not to parse`);
}

describe("string signatures with 'Tool[]' and 'ToolCalls'", () => {
  const spec = signature('question, tools: Tool[] -> answer, calls: ToolCalls');

  it('give the tools and tool-calls field schemas and type texts', () => {
    const tools = spec.inputs[1];
    const calls = spec.outputs[1];
    expect(tools).toMatchObject({ name: 'tools', schema: TOOLS_SCHEMA, typeText: 'Tool[]' });
    expect(calls).toMatchObject({ name: 'calls', schema: TOOL_CALLS_SCHEMA, typeText: 'ToolCalls' });
    expect(tools && isToolsField(tools)).toBe(true);
    expect(calls && isToolCallsField(calls)).toBe(true);
    expect(signature('tools: Array<Tool> -> calls: ToolCalls').inputs[0]?.typeText).toBe('Tool[]');
  });

  it('type as Tool[] and ToolCalls', () => {
    expectTypeOf<SpecInputs<typeof spec>['tools']>().toEqualTypeOf<Tool[]>();
    expectTypeOf<SpecOutputs<typeof spec>['calls']>().toEqualTypeOf<ToolCalls>();
  });

  it.each([
    ['question -> tools: Tool[]', "'tools: Tool[]' is an output"],
    ['calls: ToolCalls -> answer', "'calls: ToolCalls' is an input"],
    ['question -> a: ToolCalls, b: ToolCalls', 'more than one ToolCalls output'],
  ])("rejects '%s'", (text, problem) => {
    const err = parseFailure(text);
    expect(err.code).toBe('SIGNATURE_PARSE');
    expect(err.message).toContain(problem);
  });
});
