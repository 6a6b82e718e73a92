/**
 * A small ReAct agent with two typed tools (a calculator and a lookup) on GSM8K questions, run by
 * a scripted model that calls tools natively (several in one turn when they are independent).
 *
 * Run: `pnpm --filter @dspy-ts/example-agent calculator` (it runs `dspy-ts build` first, which
 * gives the tools their argument schemas).
 */
import '../dspy.generated.js';
import { readFileSync } from 'node:fs';
import {
  configure,
  Example,
  type Example as ExampleT,
  evaluate,
  ReAct,
  silentLogger,
  toolsOf,
} from '@dspy-ts/core';
import { configuredModel, exampleLM } from '@dspy-ts/example-shared';
import { type Problem, scriptedAgentLM } from './offline.js';
import { MathTools } from './tools.js';

const problems = readFileSync(new URL('../../data/gsm8k-sample.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Problem);

const gold = (answer: string) => Number(answer.split('####').at(-1)?.trim().replace(/,/g, ''));
const devset = problems.map((p) =>
  new Example({ question: p.question, answer: gold(p.answer) }).withInputs('question'),
);

const real = configuredModel() ? exampleLM() : undefined;
const lm = real ? real.lm : scriptedAgentLM(problems);
configure({ lm, logger: silentLogger });
console.log(
  real ? `LM: ${real.label}` : 'LM: offline ScriptedLM replaying the worked solutions as tool calls',
);

const agent = new ReAct('question: string -> answer: number', {
  tools: toolsOf(new MathTools()),
  maxIters: 6,
});

const first = problems[0];
if (first) {
  const pred = await agent.forward({ question: first.question });
  console.log(`Q: ${first.question}`);
  for (const [n, step] of pred.trajectory.messages.entries()) {
    // The calls of one turn ran at the same time.
    console.log(`  turn ${n + 1}:${step.toolCalls.length === 0 ? ' no call, the agent is done' : ''}`);
    for (const call of step.toolCalls.calls) {
      const result = step.results.find((r) => r.id === call.id);
      console.log(`    ${call.name}(${JSON.stringify(call.args)}) -> ${result?.content ?? ''}`);
    }
  }
  console.log(`A: ${pred.answer}`);
}

const solved = (ex: ExampleT, pred: { toJSON(): object }) =>
  Number((pred.toJSON() as { answer?: unknown }).answer) === Number(ex.get('answer'));
const report = await evaluate(agent, devset, solved, { progress: false });
console.log(`solved ${report.score.toFixed(1)}% of ${devset.length} GSM8K questions`);
