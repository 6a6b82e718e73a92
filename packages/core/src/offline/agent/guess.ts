import type { ToolChoice } from '../../lm/types.js';
import { isRecord, parseLoose } from '../carry.js';
import { contentWords, hash32, STOPWORDS } from '../tokens.js';
import { schemaDefault } from '../values.js';
import type { AgentAnswer } from './policy.js';
import type { AgentPrompt, SeenCall, SeenTool } from './read.js';

/** The thought of a turn that ends the run. */
const DONE_THOUGHT = 'I have what I need to answer.';
/** The thought of a turn that makes `calls` and has no demo thought. */
export const callThought = (calls: readonly SeenCall[]) =>
  calls.length === 0 ? DONE_THOUGHT : `I will call ${calls.map((c) => c.name).join(' and ')}.`;

/** Words of a tool's name (camelCase and snake_case split) and description. */
function toolWords(tool: SeenTool): Set<string> {
  const name = tool.name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
  return new Set(contentWords(`${name} ${tool.description}`));
}

/**
 * A guessed argument: a same-named key of an earlier result, else an input token that fits the
 * parameter: a number; for an id-like name a token with digits (or inner `-_.@/#:+`); for another
 * string the first word that is neither a stopword nor a word of the tool's own name and
 * description (else a data-like token).
 */
function guessArg(
  name: string,
  schema: unknown,
  prompt: AgentPrompt,
  text: string,
  own: ReadonlySet<string>,
): unknown {
  for (let j = prompt.steps.length - 1; j >= 0; j--) {
    for (const r of prompt.steps[j]!.results) {
      const json = parseLoose(r.content);
      const key = isRecord(json)
        ? Object.keys(json).find((k) => k.toLowerCase() === name.toLowerCase())
        : undefined;
      if (key !== undefined && isRecord(json)) return json[key];
    }
  }
  const s = isRecord(schema) ? schema : {};
  const tokens = text.match(/[\p{L}\p{N}]+(?:[-_.@/#:+][\p{L}\p{N}]+)*/gu) ?? [];
  if (s.type === 'number' || s.type === 'integer') {
    const n = tokens.find((t) => /^\d+(\.\d+)?$/.test(t));
    return n === undefined ? schemaDefault(s) : Number(n);
  }
  if (s.type === 'string' || s.type === undefined) {
    const dataLike = (t: string) => /\d|[-_.@/#:+]/.test(t);
    const data = tokens.find((t) => /\d/.test(t)) ?? tokens.find(dataLike);
    const word = tokens.find(
      (t) => t.length >= 2 && !dataLike(t) && !STOPWORDS.has(t.toLowerCase()) && !own.has(t.toLowerCase()),
    );
    return (/id|number|code|ref|sku/i.test(name) ? (data ?? word) : (word ?? data)) ?? '';
  }
  return schemaDefault(s);
}

/**
 * The guess of an agent with no demo for this point of its run: call the tool whose name and
 * description share the most words with the inputs, with arguments taken from input tokens that
 * fit each parameter; after one observation, finish. A sampled request (`seed` set) explores
 * instead: a tool drawn from the seed, and up to three steps.
 */
export function weakGuess(prompt: AgentPrompt, seed: string | undefined): AgentAnswer {
  const finish = prompt.tools.find((t) => t.name === 'finish');
  const done: AgentAnswer = { thought: DONE_THOUGHT, calls: finish ? [{ name: 'finish', args: {} }] : [] };
  const usable = prompt.tools.filter((t) => t.name !== 'finish');
  const point = prompt.steps.length;
  const text = Object.values(prompt.inputs).join('\n');
  // The draws depend on the seed, the inputs and the point, so each example explores its own path.
  const draw = (what: string) => hash32(`${seed}\u0000${text}\u0000${point}\u0000${what}`);
  if (usable.length === 0) return done;
  if (point > 0 && (seed === undefined || point >= 3 || draw('go') % 2 === 1)) return done;
  const tool = seed !== undefined ? usable[draw('tool') % usable.length]! : closestTool(prompt, usable);
  const calls = [guessCall(prompt, tool)];
  return { thought: callThought(calls), calls };
}

/** The tool whose name and description share the most words with the inputs (the first on ties). */
function closestTool(prompt: AgentPrompt, tools: readonly SeenTool[]): SeenTool {
  const words = new Set(contentWords(Object.values(prompt.inputs).join('\n')));
  const overlap = (t: SeenTool) => [...toolWords(t)].filter((w) => words.has(w)).length;
  return tools.reduce((best, t) => (overlap(t) > overlap(best) ? t : best));
}

/** A call of `tool` with each required argument guessed (see {@link guessArg}). */
function guessCall(prompt: AgentPrompt, tool: SeenTool): SeenCall {
  const text = Object.values(prompt.inputs).join('\n');
  const props = isRecord(tool.parameters.properties) ? tool.parameters.properties : {};
  const required = Array.isArray(tool.parameters.required)
    ? tool.parameters.required.map(String)
    : Object.keys(props);
  const args: Record<string, unknown> = {};
  const own = toolWords(tool);
  for (const name of required) args[name] = guessArg(name, props[name], prompt, text, own);
  return { name: tool.name, args };
}

/**
 * The answer made to fit the request's tool choice: `'none'` drops the calls; `{ name }` keeps
 * the calls of that tool, else calls it with guessed arguments; `'required'` with no call calls
 * `finish` when offered, else the closest tool.
 */
export function fitToolChoice(
  next: AgentAnswer,
  choice: ToolChoice | undefined,
  prompt: AgentPrompt,
): AgentAnswer {
  if (choice === undefined || choice === 'auto') return next;
  if (choice === 'none') return { thought: next.thought, calls: [] };
  if (choice === 'required') {
    if (next.calls.length > 0 || prompt.tools.length === 0) return next;
    const finish = prompt.tools.find((t) => t.name === 'finish');
    const call = finish
      ? { name: finish.name, args: {} }
      : guessCall(prompt, closestTool(prompt, prompt.tools));
    return { thought: next.thought, calls: [call] };
  }
  const kept = next.calls.filter((c) => c.name === choice.name);
  if (kept.length > 0) return { thought: next.thought, calls: kept };
  const tool = prompt.tools.find((t) => t.name === choice.name);
  if (!tool) return next;
  const calls = [guessCall(prompt, tool)];
  return { thought: callThought(calls), calls };
}
