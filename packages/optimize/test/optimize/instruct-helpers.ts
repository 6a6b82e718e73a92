import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Example, evaluate, type LMRequest, type Metric, Predict } from '@dspy-ts/core';
import type { CompilableProgram } from '../../src/index.js';
import { runProgram } from '../../src/internal.js';
import { lastInput } from './helpers.js';

/** The system message of a request. */
export function systemOf(req: LMRequest): string {
  const first = req.messages[0];
  return typeof first?.content === 'string' ? first.content : '';
}

/** True when the request asks for a new instruction (the proposer contract). */
export function isProposal(req: LMRequest): boolean {
  return systemOf(req).includes('proposedInstruction');
}

/** The first line of an input field `[[ ## name ## ]]` in the last user message (JSON inputs are one line). */
export function inputField(req: LMRequest, name: string): string {
  const last = req.messages.at(-1);
  const text = typeof last?.content === 'string' ? last.content : '';
  const m = new RegExp(`\\[\\[ ## ${name} ## \\]\\]\\n([^\\n]*)`).exec(text);
  return m?.[1]?.trim() ?? '';
}

/**
 * A task answerer whose quality depends on the instruction: `ans:<input>` for every input when
 * the system message holds `good`, for inputs ending in an even digit when it holds `half`,
 * else `?`.
 */
export function instructionAnswer(req: LMRequest): { output: string } {
  const sys = systemOf(req);
  const input = lastInput(req.messages as unknown as { content: string }[]);
  if (sys.includes('GOOD')) return { output: `ans:${input}` };
  if (sys.includes('HALF') && /[02468]$/.test(input)) return { output: `ans:${input}` };
  return { output: '?' };
}

/** Saves a program and returns the artifact text. */
export async function saved(program: object, dir: string, file: string): Promise<string> {
  await (program as { save(p: string): Promise<void> }).save(join(dir, file));
  return readFile(join(dir, file), 'utf8');
}

function load(name: string) {
  const text = readFileSync(new URL(`../data/${name}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => new Example(JSON.parse(line) as { text: string; label: string }).withInputs('text'));
}

/** The Banking77 6-intent subset: 48 train, 48 held out. */
export const banking = { train: load('banking77-6.train.jsonl'), test: load('banking77-6.test.jsonl') };

/** Label accuracy. */
export const labelMatches: Metric = (ex, pred) => pred.get('label') === ex.get('label');

/** The classifier every offline test compiles. */
export const classifier = () =>
  new Predict('text -> label', { instructions: 'Classify the banking customer message into its intent.' });

/** Held-out accuracy (0..100). */
export async function heldOutScore(program: CompilableProgram): Promise<number> {
  const runnable = { forward: (inputs: Record<string, unknown>) => runProgram(program, inputs) };
  const report = await evaluate(runnable, banking.test, (ex, pred) => pred.get('label') === ex.get('label'), {
    progress: false,
  });
  return report.score;
}
