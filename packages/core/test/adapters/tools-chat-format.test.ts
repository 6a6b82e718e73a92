import { describe, expect, it } from 'vitest';
import { ChatAdapter, History, type LanguageModel, signature } from '../../src/index.js';
import {
  DEMO_TRAJECTORY,
  demo,
  inputs,
  agentSpec as spec,
  step,
  WEATHER_JSON,
  weather,
} from './tools-fixtures.js';

const TEXT_REQUIREMENTS =
  'Respond with the corresponding output fields, starting with the field `[[ ## thought ## ]]`, then `[[ ## calls ## ]]` (must be formatted as valid JSON), and then ending with the marker for `[[ ## completed ## ]]`.';

const TEXT_SYSTEM = `Your input fields are:
1. \`question\` (string)
2. \`tools\` (Tool[])
Your output fields are:
1. \`thought\` (string)
2. \`calls\` (ToolCalls)
All interactions will be structured in the following way, with the appropriate values filled in.

[[ ## question ## ]]
{question}

[[ ## tools ## ]]
{tools}

[[ ## thought ## ]]
{thought}

[[ ## calls ## ]]
{calls}        # note: the value you produce must be a JSON list of tool calls, each {"name": "<tool name>", "args": {<arguments>}}, or [] to call no tool

[[ ## completed ## ]]
In adhering to this structure, your objective is:
        Given the fields \`question\`, \`tools\`, \`trajectory\`, produce the fields \`thought\`, \`calls\`.`;

const NATIVE_SYSTEM = `Your input fields are:
1. \`question\` (string)
Your output fields are:
1. \`thought\` (string)
All interactions will be structured in the following way, with the appropriate values filled in.

[[ ## question ## ]]
{question}

[[ ## thought ## ]]
{thought}

[[ ## completed ## ]]
In adhering to this structure, your objective is:
        Given the fields \`question\`, \`tools\`, \`trajectory\`, produce the fields \`thought\`, \`calls\`.
Call tools through the function-calling interface; when no more tool calls are needed, answer without calling a tool.`;

const DEMO_ANSWER = '[[ ## thought ## ]]\nDone.\n\n[[ ## calls ## ]]\n[]\n\n[[ ## completed ## ]]';

describe('ChatAdapter with tools, text mode', () => {
  const messages = new ChatAdapter({ nativeToolCalls: false }).format(spec, { demos: [demo], inputs });

  it('lists the Tool[] input, renders tools as their definitions, asks for calls as a JSON list, and replays the trajectory as turns', () => {
    expect(messages).toEqual([
      { role: 'system', content: TEXT_SYSTEM },
      { role: 'user', content: `[[ ## question ## ]]\nWeather in Rome?\n\n${DEMO_TRAJECTORY}` },
      { role: 'assistant', content: DEMO_ANSWER },
      {
        role: 'user',
        content: `[[ ## question ## ]]\nWeather in Paris?\n\n[[ ## tools ## ]]\n${WEATHER_JSON}\n\n${TEXT_REQUIREMENTS}`,
      },
      {
        role: 'assistant',
        content:
          '[[ ## thought ## ]]\nLook it up.\n\n[[ ## calls ## ]]\n[{"name":"weather","args":{"city":"Paris"}}]\n\n[[ ## completed ## ]]',
      },
      {
        role: 'user',
        content: `[[ ## tool_results ## ]]\n[{"id":"c1","name":"weather","content":"sunny"}]\n\n${TEXT_REQUIREMENTS}`,
      },
    ]);
  });

  it("renders a demo's calls the same from a ToolCalls and from its saved { calls } data, and never its tools", () => {
    const saved = JSON.parse(JSON.stringify({ ...demo, tools: [weather] }));
    const again = new ChatAdapter({ nativeToolCalls: false }).format(spec, { demos: [saved], inputs });
    expect(again).toEqual(messages);
  });

  it('keeps a History of field-value turns before the current inputs', () => {
    const chat = signature('history: History, question, tools: Tool[] -> answer, calls: ToolCalls');
    const history = new History([{ question: 'Hi?', answer: 'Hello.' }]);
    const m = new ChatAdapter({ nativeToolCalls: false }).format(chat, {
      inputs: { history, question: 'Weather?', tools: [weather] },
    });
    expect(m.map((x) => x.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(m[1]?.content).toBe('[[ ## question ## ]]\nHi?');
    expect(m[2]?.content).toBe('[[ ## answer ## ]]\nHello.\n\n[[ ## completed ## ]]');
  });
});

describe('ChatAdapter with tools, native mode', () => {
  const messages = new ChatAdapter({ nativeToolCalls: true }).format(spec, { demos: [demo], inputs });

  it('leaves the tools and the calls out of the prompt, says to use function calling, and replays steps as tool calls and tool messages', () => {
    expect(messages).toEqual([
      { role: 'system', content: NATIVE_SYSTEM },
      { role: 'user', content: `[[ ## question ## ]]\nWeather in Rome?\n\n${DEMO_TRAJECTORY}` },
      { role: 'assistant', content: DEMO_ANSWER },
      {
        role: 'user',
        content:
          '[[ ## question ## ]]\nWeather in Paris?\n\nRespond with the corresponding output fields, starting with the field `[[ ## thought ## ]]`, and then ending with the marker for `[[ ## completed ## ]]`.',
      },
      {
        role: 'assistant',
        content: '[[ ## thought ## ]]\nLook it up.\n\n[[ ## completed ## ]]',
        toolCalls: [{ id: 'c1', name: 'weather', arguments: { city: 'Paris' } }],
      },
      { role: 'tool', toolCallId: 'c1', content: 'sunny' },
    ]);
  });

  it("sends the tools as the request's tools, deduplicated by name, with toolChoice auto", () => {
    const lm = { model: 'm', supportsToolCalls: true } as LanguageModel;
    const two = signature('question, tools: Tool[], more: Tool[] -> answer, calls: ToolCalls');
    const options = new ChatAdapter().requestOptions(two, lm, {
      inputs: { question: 'q', tools: [weather], more: [weather] },
    });
    expect(options).toEqual({
      tools: [
        {
          name: 'weather',
          description: 'Weather of a city.',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      ],
      toolChoice: 'auto',
    });
  });

  it("picks native under 'auto' for an LM with supportsToolCalls, text for one without", () => {
    const adapter = new ChatAdapter();
    const native = { model: 'a', supportsToolCalls: true } as LanguageModel;
    const plain = { model: 'b' } as LanguageModel;
    expect(adapter.format(spec, { inputs, lm: native })[0]?.content).toBe(NATIVE_SYSTEM);
    expect(adapter.format(spec, { inputs, lm: plain })[0]?.content).toBe(TEXT_SYSTEM);
    expect(adapter.requestOptions(spec, plain, { inputs })).toEqual({});
  });

  it('renders the step with an empty content when the signature has no thought field', () => {
    const bare = signature('question, tools: Tool[], trajectory: History -> calls: ToolCalls');
    const m = new ChatAdapter({ nativeToolCalls: true }).format(bare, {
      inputs: { question: 'q', tools: [weather], trajectory: new History([step]) },
    });
    expect(m.at(-2)).toEqual({
      role: 'assistant',
      content: '',
      toolCalls: [{ id: 'c1', name: 'weather', arguments: { city: 'Paris' } }],
    });
  });
});
