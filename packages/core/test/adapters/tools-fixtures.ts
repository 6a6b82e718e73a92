import { History, signature, ToolCalls, tool } from '../../src/index.js';
import type { AgentStep } from '../../src/tools/index.js';

/** `question, tools: Tool[], trajectory: History -> thought, calls: ToolCalls`: one agent turn. */
export const agentSpec = signature(
  'question, tools: Tool[], trajectory: History -> thought, calls: ToolCalls',
);

/** A tool with a one-argument schema. */
export const weather = tool((city: string) => `sunny in ${city}`, {
  name: 'weather',
  desc: 'Weather of a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
});

export const WEATHER_JSON =
  '[{"name":"weather","description":"Weather of a city.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]';

/** One finished agent step: a thought, one call with its id, its result. */
export const step: AgentStep = {
  thought: 'Look it up.',
  toolCalls: new ToolCalls([{ id: 'c1', name: 'weather', args: { city: 'Paris' } }]),
  results: [{ id: 'c1', name: 'weather', ok: true, content: 'sunny' }],
};

/** A demo whose trajectory is one step and whose answer calls no tool (tools left out, as saved). */
export const demo = {
  question: 'Weather in Rome?',
  trajectory: new History([
    { ...step, toolCalls: new ToolCalls([{ id: 'x', name: 'weather', args: { city: 'Rome' } }]) },
  ]),
  thought: 'Done.',
  calls: new ToolCalls([]),
};

export const inputs = { question: 'Weather in Paris?', tools: [weather], trajectory: new History([step]) };

export const DEMO_TRAJECTORY =
  '[[ ## trajectory ## ]]\n[{"thought":"Look it up.","tool_calls":[{"name":"weather","args":{"city":"Rome"}}],"results":[{"name":"weather","content":"sunny"}]}]';
