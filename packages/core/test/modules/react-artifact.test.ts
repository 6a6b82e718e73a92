import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Demo, History, ReAct, runWithTrace } from '@dspy-ts/core';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { search, textTurn } from './react-helpers.js';

const script = () =>
  new ScriptedLM([
    textTurn({ thought: 'Look it up.', calls: [{ name: 'search', args: { query: 'Dune author' } }] }),
    textTurn({ thought: 'Done.', calls: [{ name: 'finish', args: {} }] }),
    { reasoning: 'The search says Herbert.', answer: 'Frank Herbert' },
  ]);

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'react-artifact-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('ReAct: traces, demos and artifacts', () => {
  it('traces each turn with the trajectory so far and the calls, never the tools', async () => {
    const agent = new ReAct('question -> answer', { tools: [search], lm: script(), nativeToolCalls: false });
    const { trace } = await runWithTrace(() => agent.forward({ question: 'Who wrote Dune?' }));
    const turns = trace.filter((e) => e.predictor === agent.react);
    expect(turns).toHaveLength(2);
    for (const e of turns) expect(Object.keys(e.inputs).sort()).toEqual(['question', 'trajectory']);
    const second = turns[1]?.inputs.trajectory;
    expect(History.isHistory(second)).toBe(true);
    const steps = (second as History<{ thought: string; results: { content: string }[] }>).messages;
    expect(steps.map((s) => [s.thought, s.results.map((r) => r.content)])).toEqual([
      ['Look it up.', ['Results for Dune author']],
    ]);
    expect(JSON.parse(JSON.stringify(turns[0]?.outputs))).toEqual({
      nextThought: 'Look it up.',
      toolCalls: { calls: [{ name: 'search', args: { query: 'Dune author' } }] },
    });
  });

  it('saves a compiled agent (demos from its traces) and loads it into a fresh one', async () => {
    const teacher = new ReAct('question -> answer', {
      tools: [search],
      lm: script(),
      nativeToolCalls: false,
    });
    const { trace } = await runWithTrace(() => teacher.forward({ question: 'Who wrote Dune?' }));
    // What the bootstrapping optimizers do with a successful run's trace.
    const demos = (p: unknown): Demo[] =>
      trace.filter((e) => e.predictor === p).map((e) => ({ augmented: true, ...e.inputs, ...e.outputs }));
    teacher.react.demos = demos(teacher.react);
    teacher.extract.predict.demos = demos(teacher.extract.predict);
    const path = join(dir, 'agent.json');
    await teacher.save(path);
    const saved = readFileSync(path, 'utf8');
    expect(saved).not.toContain('"tools"');
    expect(saved).toContain('Results for Dune author');

    const lm = new ScriptedLM([
      textTurn({ thought: 'Answer directly.', calls: [] }),
      { reasoning: 'Known.', answer: 'Isaac Asimov' },
    ]);
    const fresh = new ReAct('question -> answer', { tools: [search], lm, nativeToolCalls: false });
    await fresh.load(path);
    expect(fresh.react.demos).toHaveLength(2);
    expect(JSON.parse(JSON.stringify(fresh.react.demos))).toEqual(
      JSON.parse(JSON.stringify(teacher.react.demos)),
    );
    const pred = await fresh.forward({ question: 'Who wrote Foundation?' });
    expect(pred.answer).toBe('Isaac Asimov');
    // The demos reached the prompt of the first turn.
    const prompt = lm.requests[0]?.messages.map((m) => m.content).join('\n') ?? '';
    expect(prompt).toContain('Who wrote Dune?');
    expect(prompt).toContain('Results for Dune author');
  });

  it('clones with its own demos and the same tools', () => {
    const agent = new ReAct('question -> answer', { tools: [search] });
    agent.react.demos = [{ question: 'q', nextThought: 't', toolCalls: { calls: [] } }];
    const copy = agent.clone();
    copy.react.demos = [];
    expect(agent.react.demos).toHaveLength(1);
    expect(copy.tools.get('search')).toBe(search);
    expect(copy.namedPredictors().map(([p]) => p)).toEqual(['react', 'extract.predict']);
  });
});
