import type { ProgramLike } from '@dspy-ts/core';
import { Example, Prediction } from '@dspy-ts/core';

/** A devset of `n` questions `q<i>` with answers `a<i>`. */
export function devset(n: number) {
  return Array.from({ length: n }, (_, i) =>
    new Example({ question: `q${i}`, answer: `a${i}` }).withInputs('question'),
  );
}

/** A program answering `a<i>`, throwing on the listed question numbers, wrong on others. */
export function program(opts: { fail?: number[]; wrong?: number[]; delayMs?: number } = {}): ProgramLike<
  Prediction<{ answer: string }>
> & {
  calls: number;
} {
  const p = {
    calls: 0,
    async forward(inputs: Record<string, unknown>) {
      p.calls += 1;
      const i = Number(String(inputs.question).slice(1));
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      if (opts.fail?.includes(i)) throw new Error(`boom ${i}`);
      return new Prediction({ answer: opts.wrong?.includes(i) ? 'nope' : `a${i}` });
    },
  };
  return p;
}
