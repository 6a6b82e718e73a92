import { describe, expect, it } from 'vitest';
import { JSONAdapter } from '../../src/index.js';
import { DEMO_TRAJECTORY, demo, inputs, agentSpec as spec, WEATHER_JSON } from './tools-fixtures.js';

const TASK = `In adhering to this structure, your objective is:
        Given the fields \`question\`, \`tools\`, \`trajectory\`, produce the fields \`thought\`, \`calls\`.`;
const DEMO_ANSWER = '{\n  "thought": "Done.",\n  "calls": []\n}';

describe('JSONAdapter with tools, text mode', () => {
  it('lists the tools, asks for calls as a JSON list in the object, and replays the trajectory as turns', () => {
    const messages = new JSONAdapter({ nativeToolCalls: false }).format(spec, { demos: [demo], inputs });
    const requirements =
      'Respond with a JSON object in the following order of fields: `thought`, then `calls` (must be formatted as valid JSON).';
    expect(messages).toEqual([
      {
        role: 'system',
        content: `Your input fields are:
1. \`question\` (string)
2. \`tools\` (Tool[])
Your output fields are:
1. \`thought\` (string)
2. \`calls\` (ToolCalls)
All interactions will be structured in the following way, with the appropriate values filled in.

Inputs will have the following structure:

[[ ## question ## ]]
{question}

[[ ## tools ## ]]
{tools}

Outputs will be a JSON object with the following fields, in this order:

{
  "thought": "{thought}",
  "calls": "{calls}"        # note: the value you produce must be a JSON list of tool calls, each {"name": "<tool name>", "args": {<arguments>}}, or [] to call no tool
}
${TASK}`,
      },
      { role: 'user', content: `[[ ## question ## ]]\nWeather in Rome?\n\n${DEMO_TRAJECTORY}` },
      { role: 'assistant', content: DEMO_ANSWER },
      {
        role: 'user',
        content: `[[ ## question ## ]]\nWeather in Paris?\n\n[[ ## tools ## ]]\n${WEATHER_JSON}\n\n${requirements}`,
      },
      {
        role: 'assistant',
        content: JSON.stringify(
          { thought: 'Look it up.', calls: [{ name: 'weather', args: { city: 'Paris' } }] },
          null,
          2,
        ),
      },
      {
        role: 'user',
        content: `[[ ## tool_results ## ]]\n[{"id":"c1","name":"weather","content":"sunny"}]\n\n${requirements}`,
      },
    ]);
  });
});

describe('JSONAdapter with tools, native mode', () => {
  it('leaves the tools and calls out of the prompt and replays steps as tool calls and tool messages', () => {
    const messages = new JSONAdapter({ nativeToolCalls: true }).format(spec, { demos: [demo], inputs });
    expect(messages).toEqual([
      {
        role: 'system',
        content: `Your input fields are:
1. \`question\` (string)
Your output fields are:
1. \`thought\` (string)
All interactions will be structured in the following way, with the appropriate values filled in.

Inputs will have the following structure:

[[ ## question ## ]]
{question}

Outputs will be a JSON object with the following fields, in this order:

{
  "thought": "{thought}"
}
${TASK}
Call tools through the function-calling interface; when no more tool calls are needed, answer without calling a tool.`,
      },
      { role: 'user', content: `[[ ## question ## ]]\nWeather in Rome?\n\n${DEMO_TRAJECTORY}` },
      { role: 'assistant', content: DEMO_ANSWER },
      {
        role: 'user',
        content:
          '[[ ## question ## ]]\nWeather in Paris?\n\nRespond with a JSON object in the following order of fields: `thought`.',
      },
      {
        role: 'assistant',
        content: '{\n  "thought": "Look it up."\n}',
        toolCalls: [{ id: 'c1', name: 'weather', arguments: { city: 'Paris' } }],
      },
      { role: 'tool', toolCallId: 'c1', content: 'sunny' },
    ]);
  });
});
