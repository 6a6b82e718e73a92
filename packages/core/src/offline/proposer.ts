import { labelField, type MinedExample, type MiningParams, mineRules } from './mine.js';
import type { ParsedPrompt } from './prompt/types.js';
import { formatRule, isRuleLine, parseRules, type Rule } from './rules.js';
import { hash32, words } from './tokens.js';
import { isReasoningField, weakDefault } from './values.js';

/** Output names that mark a proposal request. */
const PROPOSAL_OUTPUTS = new Set(['proposedInstruction', 'proposed_instruction']);

/** Input names that mark a request about the task rather than the task itself. */
const META_INPUTS = new Set([
  'taskDemos',
  'basicInstruction',
  'datasetSummary',
  'programDescription',
  'previousInstructions',
  'tip',
  'examples',
  'observations',
  'programCode',
]);

/**
 * Mining passes the proposer cycles through (variant = previous instructions + tip + rollout id
 * + choice index, modulo the list), so that candidates differ.
 */
export const MINING_VARIANTS: readonly (MiningParams & { readonly lead: string })[] = [
  {
    minSupport: 2,
    minPrecision: 0.8,
    perLabel: 3,
    maxRules: 40,
    lead: 'Apply the first rule below that matches.',
  },
  {
    minSupport: 2,
    minPrecision: 1,
    perLabel: 5,
    maxRules: 60,
    lead: 'Check these cues in order; the first match decides.',
  },
  { minSupport: 3, minPrecision: 0.75, perLabel: 2, maxRules: 30, lead: 'Look for these key words first.' },
  {
    minSupport: 2,
    minPrecision: 0.6,
    perLabel: 4,
    maxRules: 50,
    lead: 'Use the cue words below when they appear.',
  },
  { minSupport: 2, minPrecision: 0.9, perLabel: 1, maxRules: 20, lead: 'One strong cue per answer:' },
  { minSupport: 4, minPrecision: 0.8, perLabel: 3, maxRules: 40, lead: 'Only the most frequent cues:' },
];

const LEADS = new Set(MINING_VARIANTS.map((v) => v.lead));

/** True when the prompt asks for a new instruction. */
export function isProposal(prompt: ParsedPrompt): boolean {
  return prompt.system.outputs.some((f) => PROPOSAL_OUTPUTS.has(f.name));
}

/** True when the prompt is about a task (summaries, proposals) rather than the task itself. */
export function isMetaRequest(prompt: ParsedPrompt): boolean {
  return isProposal(prompt) || prompt.system.inputs.some((f) => META_INPUTS.has(f.name));
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `taskDemos` examples (entries without `inputs`/`outputs` objects are skipped). */
export function readExamples(text: string | undefined): MinedExample[] {
  const raw = parseJson(text);
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((e): MinedExample[] => {
    if (!isRecord(e) || !isRecord(e.inputs) || !isRecord(e.outputs)) return [];
    const ex: MinedExample = { inputs: e.inputs, outputs: e.outputs };
    return [
      {
        ...ex,
        ...(typeof e.feedback === 'string' ? { feedback: e.feedback } : {}),
        ...(isRecord(e.predicted) ? { predicted: e.predicted } : {}),
      },
    ];
  });
}

/** Previous instructions, best score first (ties keep their order). */
function readPrevious(text: string | undefined): { instruction: string; score: number }[] {
  const raw = parseJson(text);
  if (!Array.isArray(raw)) return [];
  const list = raw.flatMap((p) =>
    isRecord(p) && typeof p.instruction === 'string'
      ? [{ instruction: p.instruction, score: typeof p.score === 'number' ? p.score : 0 }]
      : [],
  );
  return list
    .map((p, i) => ({ p, i }))
    .sort((a, b) => b.p.score - a.p.score || a.i - b.i)
    .map((x) => x.p);
}

/** Which mining variant a proposal uses. */
export function variantIndex(
  prompt: ParsedPrompt,
  rolloutId: string | number | undefined,
  choice: number,
): number {
  const previous = readPrevious(prompt.inputs.previousInstructions).length;
  const tip = prompt.inputs.tip ? hash32(prompt.inputs.tip) : 0;
  const rollout = rolloutId === undefined ? 0 : hash32(String(rolloutId));
  return (previous + tip + rollout + choice) % MINING_VARIANTS.length;
}

/** Rules mined from the examples; with too few for the thresholds, one support-1 rule per label from failures. */
function mine(examples: readonly MinedExample[], params: MiningParams): { label?: string; rules: Rule[] } {
  const label = labelField(examples);
  if (!label) return { rules: [] };
  const rules = mineRules(examples, label, params);
  if (rules.length > 0) return { label, rules };
  const failed = examples.filter((e) => e.predicted !== undefined && e.predicted[label] !== e.outputs[label]);
  const pool = failed.length > 0 ? failed : examples;
  return {
    label,
    rules: mineRules(pool, label, { minSupport: 1, minPrecision: 1, perLabel: 1, maxRules: 20 }),
  };
}

/**
 * Writes a new instruction: the basic instruction's prose, the rules it (and the best previous
 * instruction) already had, then newly mined rules for tokens not yet covered.
 */
export function proposeInstruction(
  prompt: ParsedPrompt,
  rolloutId: string | number | undefined,
  choice: number,
): { instruction: string; summary: string } {
  const examples = readExamples(prompt.inputs.taskDemos);
  const basic = (prompt.inputs.basicInstruction ?? '').split('\n').map((l) => l.trim());
  const best = readPrevious(prompt.inputs.previousInstructions)[0];
  const prose = basic.filter((l) => l && !isRuleLine(l));
  const params = MINING_VARIANTS[variantIndex(prompt, rolloutId, choice)]!;
  const { label, rules: mined } = mine(examples, params);
  const firstOutput = examples[0]
    ? Object.keys(examples[0].outputs).find((k) => !isReasoningField(k))
    : undefined;
  const existing = [...parseRules(basic), ...parseRules((best?.instruction ?? '').split('\n'))];
  const key = (r: Rule) => `${r.input.toLowerCase()}\u0000${r.token.toLowerCase()}`;
  const fresh = new Map(mined.map((r) => [key(r), r] as const));
  const rules: Rule[] = [];
  const seen = new Set<string>();
  const add = (r: Rule) => {
    if (seen.has(key(r))) return;
    seen.add(key(r));
    rules.push(r);
  };
  for (const r of existing)
    add(fresh.get(key(r)) && fresh.get(key(r))!.value !== r.value ? fresh.get(key(r))! : r);
  for (const r of mined)
    add(
      label && label !== firstOutput ? { input: r.input, token: r.token, value: r.value, output: label } : r,
    );
  const head = prose.length > 0 ? prose : ['Answer the task.'];
  const lead = rules.length > 0 ? [params.lead] : [];
  const instruction = [...head.filter((l) => !LEADS.has(l)), ...lead, ...rules.map(formatRule)].join('\n');
  const summary =
    `Mined ${mined.length} rule(s) from ${examples.length} example(s) ` +
    `(support >= ${params.minSupport}, precision >= ${params.minPrecision}); kept ${rules.length} in all.`;
  return { instruction, summary };
}

/** A short deterministic description of whatever data the inputs hold. */
export function describeInputs(prompt: ParsedPrompt): string {
  for (const text of Object.values(prompt.inputs)) {
    const examples = readExamples(text);
    if (examples.length === 0) continue;
    const inputs = [...new Set(examples.flatMap((e) => Object.keys(e.inputs)))];
    const outputs = [...new Set(examples.flatMap((e) => Object.keys(e.outputs)))];
    const label = labelField(examples);
    const values = label ? [...new Set(examples.map((e) => String(e.outputs[label])))] : [];
    const shown = values.slice(0, 8).join(', ') + (values.length > 8 ? ', ...' : '');
    return (
      `${examples.length} examples mapping ${inputs.join(', ')} to ${outputs.join(', ')}.` +
      (label ? ` The ${label} takes ${values.length} distinct values: ${shown}.` : '')
    );
  }
  const first = Object.values(prompt.inputs)[0] ?? '';
  const w = words(first);
  return w.length > 0 ? `About: ${w.slice(0, 12).join(' ')}.` : 'No data was given.';
}

/** Answers a proposal or another request about the task. */
export function answerMeta(
  prompt: ParsedPrompt,
  rolloutId: string | number | undefined,
  choice: number,
): Record<string, unknown> {
  const proposal = isProposal(prompt) ? proposeInstruction(prompt, rolloutId, choice) : undefined;
  const out: Record<string, unknown> = {};
  for (const f of prompt.system.outputs) {
    if (PROPOSAL_OUTPUTS.has(f.name)) out[f.name] = proposal?.instruction ?? '';
    else if (isReasoningField(f.name)) out[f.name] = proposal?.summary ?? 'The inputs are summarised.';
    else if (f.kind === 'string') out[f.name] = describeInputs(prompt);
    else out[f.name] = weakDefault(f, prompt.inputs);
  }
  return out;
}
