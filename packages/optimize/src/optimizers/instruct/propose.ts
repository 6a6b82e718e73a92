import { type LanguageModel, Predict } from '@dspy-ts/core';
import { currentSettings } from '@dspy-ts/core/internal';
import type { CompileContext } from '../../core/context.js';
import { invalid } from '../../core/validate.js';

/**
 * What an instruction proposer reads. The names are the proposer contract shared with
 * `OfflineLM`: `taskDemos` is a compact JSON array of `{ inputs, outputs, feedback?, predicted? }`,
 * `previousInstructions` a JSON array of `{ instruction, score }`.
 */
export interface ProposalInputs {
  readonly taskDemos: string;
  readonly basicInstruction?: string;
  readonly datasetSummary?: string;
  readonly programDescription?: string;
  readonly tip?: string;
  readonly previousInstructions?: string;
}

/** One entry of `taskDemos`. */
export interface TaskDemo {
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly feedback?: string;
  readonly predicted?: Record<string, unknown>;
}

/** How to sample proposals. */
export interface ProposalConfig {
  /** Completions asked for in one call (default 1). */
  readonly n?: number;
  readonly temperature?: number;
  readonly rolloutId?: string | number;
}

const FIELD_ORDER: readonly (keyof ProposalInputs)[] = [
  'datasetSummary',
  'programDescription',
  'taskDemos',
  'basicInstruction',
  'previousInstructions',
  'tip',
];

const PROPOSER_INSTRUCTIONS = [
  'You write the instruction of one step of a language-model program.',
  'Read the examples of the task (inputs, expected outputs, and where given what the program answered and feedback on it),',
  'the current instruction and any earlier attempts with their scores.',
  'Write one improved instruction: keep what works, add precise guidance (such as cue words and the answer they imply)',
  'that fixes the mistakes. Answer with the instruction text only.',
].join(' ');

/** Tips mixed into MIPROv2's proposals (one drawn per candidate). */
export const PROPOSAL_TIPS: readonly string[] = [
  'Be concise.',
  'Be precise about the expected format of the answer.',
  'Name the cues in the input that decide the answer.',
  'Think about the hardest cases and how to tell them apart.',
  'Keep the instruction short and direct.',
  'Describe the task as an expert would.',
];

/** The LM proposals go to: the given one, else the settings' LM; a clear error when there is none. */
export function proposerLM(optimizer: string, option: string, lm: LanguageModel | undefined): LanguageModel {
  const chosen = lm ?? currentSettings().lm;
  if (!chosen) {
    throw invalid(
      `${optimizer}: no LM to write instructions with.`,
      `${optimizer}.${option}`,
      `Pass { ${option}: lm } or configure({ lm }) before compiling.`,
    );
  }
  return chosen;
}

/** Compact JSON of task demos (the `taskDemos` input). */
export function taskDemosJson(demos: readonly TaskDemo[]): string {
  return JSON.stringify(demos);
}

/**
 * Asks `lm` for instruction proposals (one call; `n` completions) and returns the distinct,
 * non-empty ones in order. The call is a checkpointed step under `key`.
 */
export async function proposeInstructions(
  ctx: CompileContext,
  key: string,
  lm: LanguageModel,
  inputs: ProposalInputs,
  config: ProposalConfig = {},
): Promise<string[]> {
  return ctx.step(`propose:${key}`, async () => {
    const present = FIELD_ORDER.filter((f) => inputs[f] !== undefined);
    const predictor = new Predict(`${present.join(', ')} -> proposedInstruction`, {
      instructions: PROPOSER_INSTRUCTIONS,
      lm,
    });
    const values: Record<string, string> = {};
    for (const f of present) values[f] = inputs[f] as string;
    const pred = await predictor.forward(values, {
      ...(config.n !== undefined && config.n > 1 ? { n: config.n } : {}),
      ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
      ...(config.rolloutId !== undefined ? { rolloutId: config.rolloutId } : {}),
    });
    const out: string[] = [];
    for (const c of pred.completions) {
      const text = String((c as Record<string, unknown>).proposedInstruction ?? '').trim();
      if (text && !out.includes(text)) out.push(text);
    }
    return out;
  });
}

/** Asks `lm` for a short summary of a few examples (MIPROv2's dataset summary); checkpointed. */
export async function summarizeData(
  ctx: CompileContext,
  key: string,
  lm: LanguageModel,
  examples: readonly TaskDemo[],
): Promise<string> {
  return ctx.step(`summary:${key}`, async () => {
    const predictor = new Predict('examples -> observations', {
      instructions:
        'Describe the dataset these examples come from in two or three sentences: what the inputs are, what the outputs are, and which values the outputs take.',
      lm,
    });
    const pred = await predictor.forward({ examples: taskDemosJson(examples) });
    return String(pred.get('observations') ?? '').trim();
  });
}
