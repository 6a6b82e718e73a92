import { readFileSync } from 'node:fs';
import {
  type Adapter,
  ChatAdapter,
  Example,
  evaluate,
  JSONAdapter,
  type Metric,
  Predict,
  silentLogger,
  TwoStepAdapter,
  withSettings,
  XMLAdapter,
} from '@dspy-ts/core';
import { OfflineLM } from '@dspy-ts/testing';
import { describe, expect, it } from 'vitest';
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

const ADAPTERS: readonly (readonly [string, () => Adapter])[] = [
  ['ChatAdapter', () => new ChatAdapter({ fallback: false })],
  ['JSONAdapter', () => new JSONAdapter()],
  ['XMLAdapter', () => new XMLAdapter({ fallback: false })],
  ['TwoStepAdapter', () => new TwoStepAdapter({ extractionModel: new OfflineLM({ model: 'extractor' }) })],
];

async function score(program: CompilableProgram): Promise<number> {
  const runnable = { forward: (inputs: Record<string, unknown>) => runProgram(program, inputs) };
  return (await evaluate(runnable, heldOut, labelMatches, { progress: false })).score;
}

describe.each(ADAPTERS)('BootstrapRS with %s over OfflineLM (Banking77 subset)', (_name, make) => {
  it('compiles demos in the adapter format that beat zero-shot on held-out data', async () => {
    await withSettings({ lm: new OfflineLM(), adapter: make(), logger: silentLogger }, async () => {
      const student = () => new Predict('text -> label');
      const baseline = await score(student());
      const { program } = await new BootstrapRS({
        metric: labelMatches,
        numCandidatePrograms: 2,
        maxBootstrappedDemos: 4,
        maxLabeledDemos: 8,
        numThreads: 2,
      }).compile(student(), { trainset });
      expect(await score(program)).toBeGreaterThan(baseline + 30);
    });
  });
});
