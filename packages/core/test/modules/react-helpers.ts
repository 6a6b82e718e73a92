import type { AgentStep, History } from '@dspy-ts/core';
import { tool } from '@dspy-ts/core';

/** One scripted decision of the agent: a thought and the calls of the turn. */
export interface Decision {
  readonly thought: string;
  readonly calls: readonly { readonly name: string; readonly args: Record<string, unknown> }[];
}

/** A decision as a text-mode answer of the `react` predictor (the `toolCalls` field as data). */
export function textTurn(d: Decision): Record<string, unknown> {
  return { nextThought: d.thought, toolCalls: { calls: d.calls.map((c) => ({ ...c })) } };
}

/**
 * A decision as a native answer: the calls as function calls, the message text the thought
 * field as the chat format writes it (as the model sees its own earlier turns).
 */
export function nativeTurn(d: Decision): { toolCalls: { name: string; arguments: object }[]; text: string } {
  return {
    toolCalls: d.calls.map((c) => ({ name: c.name, arguments: { ...c.args } })),
    text: `[[ ## nextThought ## ]]\n${d.thought}`,
  };
}

/** Names, args, results and thoughts of a trajectory, without ids (they differ by mode). */
export function plainSteps(trajectory: History<AgentStep>) {
  return trajectory.messages.map((s) => ({
    thought: s.thought,
    calls: s.toolCalls.calls.map((c) => ({ name: c.name, args: c.args })),
    results: s.results.map((r) => ({ name: r.name, ok: r.ok, content: r.content })),
  }));
}

/** `add(a, b)`: adds two numbers. */
export const add = tool((a: number, b: number) => a + b, {
  name: 'add',
  desc: 'Adds two numbers.',
  parameters: {
    type: 'object',
    properties: { a: { type: 'number' }, b: { type: 'number' } },
    required: ['a', 'b'],
  },
});

/** `search(query)`: echoes the query as results. */
export const search = tool((query: string) => `Results for ${query}`, {
  name: 'search',
  desc: 'Searches the web.',
  parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
});

/** `flaky()`: always throws. */
export const flaky = tool(
  (): string => {
    throw new Error('service down');
  },
  { name: 'flaky', desc: 'Fails.' },
);

/** A gate that opens once `n` parties have arrived; each `arrive()` waits for it. */
export function barrier(n: number): { arrive: () => Promise<void>; arrived: () => number } {
  let count = 0;
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    arrive: async () => {
      count += 1;
      if (count === n) open();
      await opened;
    },
    arrived: () => count,
  };
}
