import type { ToolChoice } from '../../lm/types.js';
import { atPath, carryFromInputs, carrySpan, findPath, parseLoose } from '../carry.js';
import { rankNeighbours } from '../neighbours.js';
import type { FieldTexts } from '../prompt/types.js';
import { demoText } from '../task.js';
import { contentWords, hash32, STOPWORDS } from '../tokens.js';
import { schemaDefault } from '../values.js';
import type { AgentPrompt, SeenCall, SeenResult, SeenStep, SeenTool } from './read.js';

/** What the agent does next: its thought and its calls (none, or `finish`, ends the run). */
export interface AgentAnswer {
  readonly thought: string;
  readonly calls: readonly SeenCall[];
}

/** One demonstrated turn: a demo's inputs, the steps before the turn, and what the turn did. */
interface Turn {
  readonly inputs: FieldTexts;
  readonly steps: readonly SeenStep[];
  readonly thought: string;
  readonly calls: readonly SeenCall[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every turn a demo shows: each step of its trajectory, then the turn it answered. */
function turnsOf(prompt: AgentPrompt): Turn[] {
  return prompt.demos.flatMap((d) => [
    ...d.steps.map((s, j) => ({
      inputs: d.inputs,
      steps: d.steps.slice(0, j),
      thought: s.thought,
      calls: s.calls,
    })),
    { inputs: d.inputs, steps: d.steps, thought: d.thought, calls: d.calls },
  ]);
}

const sequence = (steps: readonly SeenStep[]) =>
  steps.map((s) => s.calls.map((c) => c.name).join(',')).join(';');

/** The result the current run has where the demo had `result` (step `step`, `nth` of its tool there), else the latest of that tool. */
function currentResult(
  steps: readonly SeenStep[],
  step: number,
  name: string,
  nth: number,
): SeenResult | undefined {
  const same = steps[step]?.results.filter((r) => r.name === name) ?? [];
  if (same.length > 0) return same[Math.min(nth, same.length - 1)];
  for (let j = steps.length - 1; j >= 0; j--) {
    const hit = steps[j]!.results.findLast((r) => r.name === name);
    if (hit) return hit;
  }
  return undefined;
}

/** `got` in the type of the demo's value `like` (numbers stay numbers). */
function typed(like: string | number, got: unknown): string | number | undefined {
  if (typeof got !== 'string' && typeof got !== 'number') return undefined;
  if (typeof like === 'number') {
    const n = Number(got);
    return Number.isFinite(n) ? n : undefined;
  }
  return String(got);
}

/** Where a demo value came from in an earlier result of the demo, taken from the current run's result of the same tool. */
function fromResults(
  value: string | number,
  turn: Turn,
  steps: readonly SeenStep[],
): string | number | undefined {
  for (let j = turn.steps.length - 1; j >= 0; j--) {
    const results = turn.steps[j]!.results;
    for (const [i, r] of results.entries()) {
      const nth = results.slice(0, i).filter((x) => x.name === r.name).length;
      const json = parseLoose(r.content);
      const path = findPath(json, value);
      if (!path) continue;
      const current = currentResult(steps, j, r.name, nth);
      if (!current) continue;
      const got =
        typeof json === 'string'
          ? carrySpan(String(value), r.content, current.content)
          : atPath(parseLoose(current.content), path);
      const carried = typed(value, got);
      if (carried !== undefined) return carried;
    }
  }
  return undefined;
}

/**
 * A demo's argument value carried over to the current run: from the same key path of the same
 * tool's earlier result, else from the analogous span of the same input field, else as it is.
 * Replacements are recorded in `subs` (to rewrite the thought).
 */
function carry(value: unknown, turn: Turn, prompt: AgentPrompt, subs: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => carry(v, turn, prompt, subs));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = carry(v, turn, prompt, subs);
    return out;
  }
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  if (String(value).trim() === '') return value;
  const fromInputs = () => {
    const text = carryFromInputs(String(value), turn.inputs, prompt.inputs);
    return text === undefined ? undefined : typed(value, text);
  };
  const carried = fromResults(value, turn, prompt.steps) ?? fromInputs() ?? value;
  if (String(carried) !== String(value) && String(value).length >= 2)
    subs.set(String(value), String(carried));
  return carried;
}

function substitute(text: string, subs: ReadonlyMap<string, string>): string {
  const keys = [...subs.keys()].sort((a, b) => b.length - a.length);
  return keys.reduce((t, k) => t.split(k).join(subs.get(k)!), text);
}

const DONE_THOUGHT = 'I have what I need to answer.';
const callThought = (calls: readonly SeenCall[]) =>
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
function weakGuess(prompt: AgentPrompt, seed: string | undefined): AgentAnswer {
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

/**
 * The next turn of a tool-calling prompt. With demos: among the demonstrated turns at the same
 * point of their run (same number of steps so far; those with the same tool names so far first),
 * the one whose inputs are most similar (TF-IDF), its calls with argument values carried over by
 * the pattern the demo shows, and its thought with those values replaced. Without one: a weak
 * guess. `seed` (a sampled request's rollout id) makes the guess explore.
 */
export function answerAgent(prompt: AgentPrompt, seed?: string): AgentAnswer {
  const point = prompt.steps.length;
  const at = turnsOf(prompt).filter((t) => t.steps.length === point);
  const seq = sequence(prompt.steps);
  const same = at.filter((t) => sequence(t.steps) === seq);
  const pool = same.length > 0 ? same : at;
  if (pool.length === 0) return weakGuess(prompt, seed);
  const names = Object.keys(prompt.inputs);
  const ranked = rankNeighbours(
    demoText(prompt.inputs, names),
    pool.map((t) => demoText(t.inputs, names)),
  );
  const turn = pool[ranked[0]?.index ?? 0]!;
  const subs = new Map<string, string>();
  const calls = turn.calls.map((c) => ({
    name: c.name,
    args: carry(c.args, turn, prompt, subs) as Record<string, unknown>,
  }));
  const thought = turn.thought.trim() ? substitute(turn.thought, subs) : callThought(calls);
  return { thought, calls };
}
