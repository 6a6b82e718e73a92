import { carryFromInputs } from './carry.js';
import { rankNeighbours } from './neighbours.js';
import { readLabelled } from './prompt/parse-prompt.js';
import type { ParsedPrompt, PromptField } from './prompt/types.js';
import { writeQuery } from './reader/query.js';
import { readAnswer } from './reader/reader.js';
import { firstMatch, parseRules, type Rule } from './rules.js';
import { hash32 } from './tokens.js';
import { canonicalOption, isReasoningField, mainOutput, valueFor, weakDefault } from './values.js';

/** How one output value was chosen. */
type Source =
  | { kind: 'rule'; rule: Rule }
  | { kind: 'reader'; explanation: string }
  | { kind: 'neighbour'; demo: number; similarity: number }
  | { kind: 'context'; demo: number; similarity: number }
  | { kind: 'majority' }
  | { kind: 'labelled'; input: string }
  | { kind: 'sample' }
  | { kind: 'default' };

/** The text of the `names` inputs (all inputs when `names` is empty), as the neighbour search compares them. */
export function demoText(inputs: Readonly<Record<string, string>>, names: readonly string[]): string {
  return (names.length > 0 ? names.map((n) => inputs[n] ?? '') : Object.values(inputs)).join('\n');
}

/** The most frequent text among values (first seen wins ties). */
function majority(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, c] of counts) if (best === undefined || c > counts.get(best)!) best = v;
  return best;
}

function explain(sources: readonly Source[]): string {
  const s =
    sources.find((x) => x.kind === 'rule') ??
    sources.find((x) => x.kind === 'reader') ??
    sources.find((x) => x.kind === 'neighbour' || x.kind === 'context') ??
    sources[0];
  if (!s) return 'Nothing to answer.';
  if (s.kind === 'rule')
    return `The input mentions "${s.rule.token}", and a rule maps it to "${s.rule.value}".`;
  if (s.kind === 'reader') return s.explanation;
  if (s.kind === 'neighbour') {
    return `The most similar example (#${s.demo + 1}, similarity ${s.similarity.toFixed(2)}) has this answer.`;
  }
  if (s.kind === 'context') {
    return `The most similar example (#${s.demo + 1}, similarity ${s.similarity.toFixed(2)}) takes its answer from its inputs; the same place in these inputs gives this one.`;
  }
  if (s.kind === 'labelled') return `The ${s.input} states this value on a line of its own.`;
  if (s.kind === 'majority')
    return 'No example shares words with the input, so the most common answer is given.';
  if (s.kind === 'sample') return 'No example or rule applies, so this sampled run guesses an answer.';
  return 'No example or rule applies, so a default answer is given.';
}

/**
 * The values the inputs state as `name: value` lines for the output fields (a free-form answer
 * an extraction step reads, as `TwoStepAdapter` asks for), with the input that states each.
 */
function labelledOutputs(
  inputs: Readonly<Record<string, string>>,
  outputs: readonly PromptField[],
): Map<string, { value: string; input: string }> {
  const names = outputs.map((f) => f.name);
  const found = new Map<string, { value: string; input: string }>();
  for (const [input, text] of Object.entries(inputs)) {
    if (!text.includes(':')) continue;
    for (const [name, value] of Object.entries(readLabelled(text, names)))
      if (!found.has(name) && value !== '') found.set(name, { value, input });
  }
  return found;
}

/** Fields whose demo value, when the demo's inputs hold it, is taken from the same place in the current inputs. */
function copiesFromContext(field: PromptField): boolean {
  return field.kind === 'string' || field.kind === 'number' || field.kind === 'integer';
}

/** A guess for an enum or boolean field, drawn from the rollout id and the inputs; undefined for other kinds. */
function sampledGuess(field: PromptField, seed: string): unknown {
  const options = field.kind === 'boolean' ? [false, true] : field.kind === 'enum' ? field.options : [];
  return options.length > 0 ? options[hash32(`${seed}\u0000${field.name}`) % options.length] : undefined;
}

/**
 * Answers a task prompt: per output field, the first matching rule of the instructions, else,
 * for a short answer to a question over a context input, the span the reader extracts
 * (`reader/reader.ts`), or for a `query` output the query writer's rewrite of the question
 * (`reader/query.ts`), else the nearest demo (TF-IDF over the demos' inputs) that has the field — when that demo's value
 * (a string or number) sits in the demo's own inputs, the span at the same place of the current
 * inputs (same field, same left word, same shape: see `carrySpan`) — else the most common
 * value among demos, else the weak default. A field no demo shows, whose value the inputs state
 * on a `name: value` line of their own (a free-form answer an extraction step reads), takes that
 * value first. Reasoning fields get a sentence saying which applied (or the stated reasoning).
 * A `rolloutId` whose hash is odd takes the second-nearest demo when there is one. A sampled
 * request (`sampled`: temperature above 0 with a rollout id) that has no rule or demo to go by
 * guesses an enum option or a boolean from the rollout id and the inputs instead of the default.
 */
export function answerTask(
  prompt: ParsedPrompt,
  rolloutId?: string | number,
  sampled = false,
): Record<string, unknown> {
  const { system, demos, inputs } = prompt;
  const rules = parseRules(system.instructions);
  const main = mainOutput(system.outputs)?.name;
  const names = system.inputs.map((f) => f.name);
  const ranked =
    demos.length > 0
      ? rankNeighbours(
          demoText(inputs, names),
          demos.map((d) => demoText(d.inputs, names)),
        )
      : [];
  const skip = rolloutId !== undefined && hash32(String(rolloutId)) % 2 === 1 ? 1 : 0;
  const out: Record<string, unknown> = {};
  const sources: Source[] = [];
  const labelled = labelledOutputs(inputs, system.outputs);
  const answerField = (field: PromptField) => {
    // Without a demo that shows the field, a value the inputs state for it is the answer.
    const stated = labelled.get(field.name);
    if (stated && !demos.some((d) => d.outputs[field.name] !== undefined)) {
      sources.push({ kind: 'labelled', input: stated.input });
      return valueFor(field, stated.value);
    }
    // A rule whose value is not one of an enum's options is ignored (it could never parse).
    const usable =
      field.kind === 'enum' ? rules.filter((r) => canonicalOption(field, r.value) !== undefined) : rules;
    const rule = firstMatch(usable, inputs, field.name, main);
    if (rule) {
      sources.push({ kind: 'rule', rule });
      return valueFor(field, rule.value);
    }
    const seed = sampled && rolloutId !== undefined ? String(rolloutId) : undefined;
    const read = readAnswer(prompt, field) ?? writeQuery(prompt, field, seed);
    if (read) {
      sources.push({ kind: 'reader', explanation: read.explanation });
      return valueFor(field, read.value);
    }
    const withField = ranked.filter((r) => demos[r.index]!.outputs[field.name] !== undefined);
    const pick = withField[Math.min(skip, withField.length - 1)];
    if (pick) {
      const demo = demos[pick.index]!;
      const text = demo.outputs[field.name]!;
      const carried = copiesFromContext(field)
        ? carryFromInputs(text.trim(), demo.inputs, inputs)
        : undefined;
      const kind = carried === undefined ? 'neighbour' : 'context';
      sources.push({ kind, demo: pick.index, similarity: pick.similarity });
      return valueFor(field, carried ?? text);
    }
    const common = majority(
      demos.flatMap((d) => (d.outputs[field.name] === undefined ? [] : [d.outputs[field.name]!])),
    );
    if (common !== undefined) {
      sources.push({ kind: 'majority' });
      return valueFor(field, common);
    }
    const guess =
      sampled && rolloutId !== undefined
        ? sampledGuess(field, `${rolloutId}\u0000${demoText(inputs, names)}`)
        : undefined;
    if (guess !== undefined) {
      sources.push({ kind: 'sample' });
      return guess;
    }
    sources.push({ kind: 'default' });
    return weakDefault(field, inputs);
  };
  for (const field of system.outputs) if (!isReasoningField(field.name)) out[field.name] = answerField(field);
  const ordered: Record<string, unknown> = {};
  for (const field of system.outputs) {
    const stated = isReasoningField(field.name) ? labelled.get(field.name) : undefined;
    ordered[field.name] = !isReasoningField(field.name)
      ? out[field.name]
      : stated && !demos.some((d) => d.outputs[field.name] !== undefined)
        ? stated.value
        : explain(sources);
  }
  return ordered;
}
