import { readFileSync } from 'node:fs';
import { configure, Example, evaluate, type Metric, Predict, silentLogger, XMLAdapter } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { OfflineLM } from '@dspy-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BootstrapFewShot, type CompilableProgram } from '../../src/index.js';
import { runProgram } from '../../src/internal.js';

function load(name: string) {
  const text = readFileSync(new URL(`../data/${name}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => new Example(JSON.parse(line) as { text: string; label: string }).withInputs('text'));
}

const trainset = load('banking77-6.train.jsonl');
const heldOut = load('banking77-6.test.jsonl');
const labelMatches: Metric = (ex, pred) => pred.get('label') === ex.get('label');
const student = () => new Predict('text -> label');

async function score(program: CompilableProgram): Promise<number> {
  const runnable = { forward: (inputs: Record<string, unknown>) => runProgram(program, inputs) };
  return (await evaluate(runnable, heldOut, labelMatches, { progress: false })).score;
}

let baseline = 0;
beforeAll(async () => {
  // No JSON fallback: every answer must come back as XML elements.
  configure({ lm: new OfflineLM(), adapter: new XMLAdapter({ fallback: false }), logger: silentLogger });
  baseline = await score(student());
});
afterAll(() => resetSettings());

describe('XMLAdapter with OfflineLM on a Banking77 subset', () => {
  it('BootstrapFewShot compiles demos in the XML format and beats zero-shot on held-out data', async () => {
    const { program, report } = await new BootstrapFewShot({ metric: labelMatches }).compile(student(), {
      trainset,
    });
    expect(report.candidates[0]?.extra).toMatchObject({ bootstrapped: 4 });
    expect(baseline).toBeLessThan(40);
    expect(await score(program)).toBeGreaterThan(baseline);
  });
});
