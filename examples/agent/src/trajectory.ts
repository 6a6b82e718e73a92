import type { AgentStep, History } from '@dspy-ts/core';
import type { TaskKind } from './tasks.js';

/** What {@link printRun} shows of a prediction. */
export interface ShownRun {
  readonly outcome: string;
  readonly reply: string;
  readonly trajectory: History<AgentStep>;
}

const clip = (text: string, max = 110) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Prints a run readably: the message, each step's thought, calls and results, then the outputs. */
export function printRun(message: string, run: ShownRun): void {
  console.log(`\ncustomer: ${message}`);
  for (const [i, step] of run.trajectory.messages.entries()) {
    console.log(`  step ${i + 1}: ${step.thought}`);
    for (const [j, call] of step.toolCalls.calls.entries()) {
      const result = step.results.find((r) => r.id === call.id) ?? step.results[j];
      console.log(`    ${call.name}(${JSON.stringify(call.args)})`);
      if (result) console.log(`      → ${clip(result.content)}`);
    }
  }
  console.log(`  outcome: ${run.outcome}`);
  console.log(`  reply: ${run.reply}\n`);
}

/** Scored runs, as `evaluate` reports them (the example's `kind` is read). */
type Scored = readonly { readonly example: { get(key: 'kind'): unknown }; readonly score: number }[];

/** `status 0/10 → 9/10, ...`: solved runs per kind of message, before and after. */
export function byKind(before: Scored, after: Scored): string {
  const count = (runs: Scored, kind: TaskKind) => {
    const mine = runs.filter((r) => r.example.get('kind') === kind);
    return `${mine.filter((r) => r.score === 1).length}/${mine.length}`;
  };
  const kinds: TaskKind[] = ['status', 'refund', 'track', 'latest'];
  return kinds.map((k) => `${k} ${count(before, k)} → ${count(after, k)}`).join(', ');
}
