import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Example,
  History,
  type LMRequest,
  type Metric,
  ReAct,
  silentLogger,
  tool,
  withSettings,
} from '@dspy-ts/core';
import { ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, it } from 'vitest';
import { BootstrapFewShot } from '../../src/index.js';

const AUTHORS: Record<string, string> = { Dune: 'Frank Herbert', Foundation: 'Isaac Asimov' };

const lookup = tool((title: string) => AUTHORS[title] ?? 'not found', {
  name: 'lookup',
  desc: 'Finds the author of a book.',
  parameters: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] },
});

/** Looks the book up, finishes once a result is back, then answers with that result. */
function agentLM(): ScriptedLM {
  return new ScriptedLM((request: LMRequest) => {
    const text = request.messages.map((m) => m.content).join('\n');
    const title = /Who wrote (\w+)\?/.exec(request.messages.at(-1)?.content ?? text)?.[1] ?? '';
    if ((request.messages[0]?.content ?? '').includes('`reasoning`')) {
      const found = [...text.matchAll(/Result \S+ \(lookup\): (.*)/g)].at(-1)?.[1] ?? 'unknown';
      return { reasoning: 'The lookup says so.', answer: found };
    }
    const looked = request.messages.at(-1)?.content.includes('tool_results') === true;
    const calls = looked ? [{ name: 'finish', args: {} }] : [{ name: 'lookup', args: { title } }];
    return { nextThought: looked ? 'I know it.' : `Look ${title} up.`, toolCalls: { calls } };
  });
}

const answerMatches: Metric = (ex, pred) => pred.get('answer') === ex.get('answer');

describe('BootstrapFewShot over ReAct', () => {
  it('bootstraps whole tool-calling turns (trajectory so far, thought, calls; no tools) that save and load', async () => {
    const trainset = [
      new Example({ question: 'Who wrote Dune?', answer: 'Frank Herbert' }).withInputs('question'),
    ];
    const student = new ReAct('question -> answer', {
      tools: [lookup],
      lm: agentLM(),
      nativeToolCalls: false,
    });
    const { program } = await withSettings({ logger: silentLogger }, () =>
      new BootstrapFewShot({ metric: answerMatches, maxBootstrappedDemos: 2, maxLabeledDemos: 0 }).compile(
        student,
        { trainset },
      ),
    );
    // One turn of the successful run per example (as for any predictor called several times).
    const demos = program.react.demos;
    expect(demos).toHaveLength(1);
    const demo = demos[0] as Record<string, unknown>;
    expect(Object.keys(demo).sort()).toEqual([
      'augmented',
      'nextThought',
      'question',
      'toolCalls',
      'trajectory',
    ]);
    expect(History.isHistory(demo.trajectory)).toBe(true);
    const turn = (demo.trajectory as History).length;
    expect(JSON.parse(JSON.stringify(demo.toolCalls))).toEqual({
      calls: [turn === 0 ? { name: 'lookup', args: { title: 'Dune' } } : { name: 'finish', args: {} }],
    });

    const dir = mkdtempSync(join(tmpdir(), 'react-compiled-'));
    try {
      const path = join(dir, 'agent.json');
      await program.save(path);
      expect(readFileSync(path, 'utf8')).not.toContain('"tools"');
      const loaded = await new ReAct('question -> answer', {
        tools: [lookup],
        lm: agentLM(),
        nativeToolCalls: false,
      }).load(path);
      expect(JSON.parse(JSON.stringify(loaded.react.demos))).toEqual(JSON.parse(JSON.stringify(demos)));
      const pred = await loaded.forward({ question: 'Who wrote Foundation?' });
      expect(pred.answer).toBe('Isaac Asimov');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
