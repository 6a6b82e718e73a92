import { readFileSync } from 'node:fs';
import {
  ChainOfThought,
  configure,
  Example,
  evaluate,
  type Metric,
  Predict,
  silentLogger,
  TwoStepAdapter,
} from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { OfflineLM } from '@dspy-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BootstrapRS, type CompilableProgram } from '../../src/index.js';
import { runProgram } from '../../src/internal.js';

function load(name: string) {
  const text = readFileSync(new URL(`../data/${name}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => new Example(JSON.parse(line) as { text: string; label: string }).withInputs('text'));
}

const trainset = load('banking77-6.train.jsonl').slice(0, 24);
const heldOut = load('banking77-6.test.jsonl');
const labelMatches: Metric = (ex, pred) => pred.get('label') === ex.get('label');

async function score(program: CompilableProgram): Promise<number> {
  const runnable = { forward: (inputs: Record<string, unknown>) => runProgram(program, inputs) };
  return (await evaluate(runnable, heldOut, labelMatches, { progress: false })).score;
}

const main = new OfflineLM({ model: 'offline-main' });
const extractor = new OfflineLM({ model: 'offline-extractor' });

beforeAll(() => {
  // The main model gets the natural prompt; a second offline model extracts the typed label.
  configure({ lm: main, adapter: new TwoStepAdapter({ extractionModel: extractor }), logger: silentLogger });
});
afterAll(() => resetSettings());

describe('TwoStepAdapter over OfflineLM on a Banking77 subset', () => {
  it('the main model answers the natural prompt in `name: value` prose the extraction reads', async () => {
    const qa = new Predict('text -> label');
    qa.demos = [{ text: 'My card has not arrived yet.', label: 'card_arrival' }];
    const pred = await qa.forward({ text: 'When will my card arrive?' });
    expect(pred.label).toBe('card_arrival');
    expect(pred.lmCalls).toBe(2);
  });

  for (const [name, student] of [
    ['Predict', () => new Predict('text -> label')],
    ['ChainOfThought', () => new ChainOfThought('text -> label')],
  ] as const) {
    it(`${name}: BootstrapRS compiles two-step demos that beat zero-shot on held-out data`, async () => {
      const baseline = await score(student());
      const { program } = await new BootstrapRS({
        metric: labelMatches,
        numCandidatePrograms: 2,
        maxBootstrappedDemos: 4,
        maxLabeledDemos: 8,
        numThreads: 2,
      }).compile(student(), { trainset });
      const compiled = await score(program);
      expect(baseline).toBeLessThan(20);
      expect(compiled).toBeGreaterThan(baseline + 30);
    });
  }
});
