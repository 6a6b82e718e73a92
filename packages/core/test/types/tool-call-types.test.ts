import { describe, expectTypeOf, it } from 'vitest';
import type {
  ChatMessage,
  LMRequest,
  LMResponse,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from '../../src/index.js';
import { type Tool, toolDefinition } from '../../src/index.js';

describe('tool call types', () => {
  it('a message narrows by role: tool messages have toolCallId, assistant messages toolCalls', () => {
    const m = {} as ChatMessage;
    if (m.role === 'tool') expectTypeOf(m.toolCallId).toEqualTypeOf<string>();
    if (m.role === 'assistant') expectTypeOf(m.toolCalls).toEqualTypeOf<readonly ToolCall[] | undefined>();
    // @ts-expect-error a tool message needs the id of the call it answers
    const bad: ChatMessage = { role: 'tool', content: 'sunny' };
    void bad;
  });

  it('requests take tool definitions and a choice; responses give tool calls', () => {
    expectTypeOf<LMRequest['tools']>().toEqualTypeOf<readonly ToolDefinition[] | undefined>();
    expectTypeOf<LMRequest['toolChoice']>().toEqualTypeOf<ToolChoice | undefined>();
    expectTypeOf<LMResponse['toolCalls']>().toEqualTypeOf<readonly ToolCall[] | undefined>();
    expectTypeOf<ToolCall['arguments']>().toEqualTypeOf<Readonly<Record<string, unknown>>>();
    expectTypeOf(toolDefinition)
      .parameter(0)
      .toMatchTypeOf<Pick<Tool, 'name' | 'description' | 'parameters'>>();
    expectTypeOf(toolDefinition).returns.toEqualTypeOf<ToolDefinition>();
    // @ts-expect-error only auto, required, none or { name }
    const choice: ToolChoice = 'any';
    void choice;
  });
});
