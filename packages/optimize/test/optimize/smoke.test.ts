import { configure, resetSettings, silentLogger } from '@dspy-ts/core';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, expect, it } from 'vitest';
import { BootstrapFewShot } from '../../src/index.js';
import { demosOf, examples, outputMatches, simpleProgram } from './helpers.js';

afterEach(() => resetSettings());

it('smoke', async () => {
  const lm = new ScriptedLM([{ output: 'blue' }, { output: 'wrong' }]);
  configure({ lm, logger: silentLogger });
  const trainset = examples([
    ['What is the color of the sky?', 'blue'],
    ['What does the fox say?', 'Ring-ding'],
  ]);
  const { program, report } = await new BootstrapFewShot({
    metric: outputMatches,
    maxBootstrappedDemos: 1,
    maxLabeledDemos: 1,
  }).compile(simpleProgram(), { trainset });
  console.log(JSON.stringify(demosOf(program)), JSON.stringify(report, null, 1), lm.requests.length);
  expect(demosOf(program)).toHaveLength(1);
});
