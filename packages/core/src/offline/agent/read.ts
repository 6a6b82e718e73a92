import type { ChatMessage, LMRequest } from '../../lm/types.js';
import type { JsonSchema } from '../../signature/spec.js';
import { readToolCalls } from '../../tools/tool-calls.js';
import {
  finalUserIndex,
  parseAnswer,
  parseBlocks,
  stripRespond,
  TOOL_RESULTS_MARKER,
} from '../prompt/parse-prompt.js';
import type { FieldTexts, ParsedPrompt, PromptField } from '../prompt/types.js';

/** One tool call as the prompt shows it. */
export interface SeenCall {
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
}

/** One tool result as the prompt shows it. */
export interface SeenResult {
  readonly name: string;
  readonly content: string;
}

/** One agent step as the prompt shows it: the thought, the calls, and what they gave. */
export interface SeenStep {
  readonly thought: string;
  readonly calls: readonly SeenCall[];
  readonly results: readonly SeenResult[];
}

/** A tool the prompt offers. */
export interface SeenTool {
  readonly name: string;
  readonly description: string;
  readonly parameters: JsonSchema;
}

/** A demo of one agent turn: its inputs, its steps so far, and the turn it answered. */
export interface AgentDemo {
  /** The inputs other than the tools and the trajectory. */
  readonly inputs: FieldTexts;
  readonly steps: readonly SeenStep[];
  readonly thought: string;
  readonly calls: readonly SeenCall[];
}

/** A tool-calling prompt, read back. */
export interface AgentPrompt {
  /** `native`: tools in the request, calls in the response; `text`: both in the prompt's text. */
  readonly mode: 'native' | 'text';
  readonly tools: readonly SeenTool[];
  /** The output that holds the thought (the first string output besides the calls), if any. */
  readonly thoughtField: string | undefined;
  /** The `ToolCalls` output (text mode; in native mode the name demos use, if any). */
  readonly callsField: string | undefined;
  /** The current inputs other than the tools and the trajectory. */
  readonly inputs: FieldTexts;
  /** The live trajectory: the steps taken so far in this run. */
  readonly steps: readonly SeenStep[];
  readonly demos: readonly AgentDemo[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const typeMark = (f: PromptField) => (isRecord(f.schema) ? f.schema['x-dspy-type'] : undefined);
const isToolsInput = (f: PromptField) => typeMark(f) === 'Tool[]' || f.typeText.trim() === 'Tool[]';
const isCallsOutput = (f: PromptField) => typeMark(f) === 'ToolCalls' || f.typeText.trim() === 'ToolCalls';
const isHistoryInput = (f: PromptField) => /\bHistory\b/.test(f.typeText);

/** Calls from any shape `readToolCalls` accepts (ids dropped); none when it does not read. */
function callsOf(value: unknown): SeenCall[] {
  const read = readToolCalls(value);
  return read.ok ? read.value.calls.map((c) => ({ name: c.name, args: c.args })) : [];
}

/** Steps from a trajectory block's JSON list (`[{ thought, tool_calls, results }]`); undefined when it is not one. */
function stepsOf(text: string | undefined): SeenStep[] | undefined {
  const list = parseJson(text);
  if (!Array.isArray(list) || !list.every((s) => isRecord(s) && ('tool_calls' in s || 'results' in s)))
    return undefined;
  return list.map((s: Record<string, unknown>) => ({
    thought: typeof s.thought === 'string' ? s.thought : '',
    calls: callsOf(s.tool_calls ?? []),
    results: resultsOf(s.results),
  }));
}

function resultsOf(value: unknown): SeenResult[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((r) => ({
    name: typeof r.name === 'string' ? r.name : '',
    content: typeof r.content === 'string' ? r.content : JSON.stringify(r.content ?? null),
  }));
}

function toolsOf(text: string | undefined): SeenTool[] {
  const list = parseJson(text);
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).flatMap((t) =>
    typeof t.name === 'string'
      ? [
          {
            name: t.name,
            description: typeof t.description === 'string' ? t.description : '',
            parameters: isRecord(t.parameters) ? (t.parameters as JsonSchema) : { type: 'object' },
          },
        ]
      : [],
  );
}

/** The field names that play each part, read from the system message and the demos. */
interface Roles {
  readonly tools: string | undefined;
  readonly trajectory: string | undefined;
  readonly thought: string | undefined;
  readonly calls: string | undefined;
}

function rolesOf(prompt: ParsedPrompt): Roles {
  const { inputs, outputs } = prompt.system;
  const callsField = outputs.find(isCallsOutput)?.name;
  // Native prompts leave the calls out of the output list; demos still show them under a name.
  const listed = new Set(outputs.map((f) => f.name));
  const demoCalls = prompt.demos
    .flatMap((d) => Object.entries(d.outputs))
    .find(([k, v]) => !listed.has(k) && Array.isArray(parseJson(v)) && readToolCalls(parseJson(v)).ok)?.[0];
  const trajectory =
    inputs.find(isHistoryInput)?.name ??
    prompt.demos.flatMap((d) => Object.entries(d.inputs)).find(([, v]) => stepsOf(v) !== undefined)?.[0];
  return {
    tools: inputs.find(isToolsInput)?.name,
    trajectory,
    thought: outputs.find((f) => f.kind === 'string' && !isCallsOutput(f) && f.name !== callsField)?.name,
    calls: callsField ?? demoCalls,
  };
}

function without(texts: FieldTexts, names: readonly (string | undefined)[]): FieldTexts {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(texts)) if (!names.includes(k)) out[k] = v;
  return out;
}

/** The live trajectory after the final user message, in either mode. */
function liveSteps(rest: readonly ChatMessage[], roles: Roles): SeenStep[] {
  const steps: { thought: string; calls: SeenCall[]; results: SeenResult[] }[] = [];
  const names = new Map<string, string>();
  for (const m of rest) {
    if (m.role === 'assistant') {
      const answer = parseAnswer(m.content);
      const thought = (roles.thought ? answer[roles.thought] : undefined) ?? (m.toolCalls ? m.content : '');
      const calls: SeenCall[] = m.toolCalls
        ? m.toolCalls.map((c) => ({ name: c.name, args: c.arguments }))
        : callsOf(parseJson(roles.calls ? answer[roles.calls] : undefined));
      for (const c of m.toolCalls ?? []) names.set(c.id, c.name);
      steps.push({ thought: thought.trim(), calls, results: [] });
    } else if (m.role === 'tool') {
      steps.at(-1)?.results.push({ name: names.get(m.toolCallId) ?? '', content: m.content });
    } else if (m.role === 'user' && m.content.trimStart().startsWith(TOOL_RESULTS_MARKER)) {
      const block = parseBlocks(stripRespond(m.content)).tool_results;
      steps.at(-1)?.results.push(...resultsOf(parseJson(block)));
    }
  }
  return steps;
}

/**
 * Reads a tool-calling prompt: NATIVE when the request offers `tools`, TEXT when the system
 * message lists a `Tool[]` input and a `ToolCalls` output; `undefined` for any other prompt.
 * Demos are the (user, assistant) pairs before the final user message (their trajectory block
 * holds the steps so far, their answer the thought and the calls); the messages after it are the
 * live trajectory. Total: a malformed part reads as empty, never as an error.
 */
export function readAgentPrompt(
  messages: readonly ChatMessage[],
  request: Pick<LMRequest, 'tools'>,
  prompt: ParsedPrompt,
): AgentPrompt | undefined {
  const native = (request.tools?.length ?? 0) > 0;
  const { inputs, outputs } = prompt.system;
  if (!native && !(inputs.some(isToolsInput) && outputs.some(isCallsOutput))) return undefined;
  const roles = rolesOf(prompt);
  const final = finalUserIndex(messages);
  const skip = [roles.tools, roles.trajectory];
  // A demo without the calls (a labeled example of the whole task) shows no agent turn.
  const turns = prompt.demos.filter((d) => roles.calls !== undefined && d.outputs[roles.calls] !== undefined);
  const demos = turns.map((d) => ({
    inputs: without(d.inputs, skip),
    steps: stepsOf(roles.trajectory ? d.inputs[roles.trajectory] : undefined) ?? [],
    thought: (roles.thought ? d.outputs[roles.thought] : undefined) ?? '',
    calls: callsOf(parseJson(roles.calls ? d.outputs[roles.calls] : undefined)),
  }));
  const tools = native
    ? request.tools!.map((t) => ({
        name: String(t.name),
        description: typeof t.description === 'string' ? t.description : '',
        parameters: isRecord(t.parameters) ? t.parameters : { type: 'object' },
      }))
    : toolsOf(roles.tools ? prompt.inputs[roles.tools] : undefined);
  return {
    mode: native ? 'native' : 'text',
    tools,
    thoughtField: roles.thought,
    callsField: roles.calls,
    inputs: without(prompt.inputs, skip),
    steps: final < 0 ? [] : liveSteps(messages.slice(final + 1), roles),
    demos,
  };
}
