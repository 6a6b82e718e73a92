import { configure, type Predict, silentLogger, TwoStepAdapter, XMLAdapter } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { BootstrapFewShot } from '../../src/index.js';
import { demosOf, examples, outputMatches, simpleProgram } from './helpers.js';

afterEach(() => resetSettings());

const trainset = examples([
  ['What is the color of the sky?', 'blue'],
  ['What does the fox say?', 'Ring-ding-ding'],
]);

/** Answers `{ output }` for the training input found in the last message. */
function answers(): ScriptedLM {
  return new ScriptedLM((req) => {
    const last = req.messages.at(-1)?.content ?? '';
    return { output: last.includes('sky') ? 'blue' : 'Ring-ding-ding' };
  });
}

describe('BootstrapFewShot with the XML and two-step adapters', () => {
  it('XMLAdapter: bootstraps both demos and renders them as XML elements', async () => {
    const lm = answers();
    configure({ lm, adapter: new XMLAdapter({ fallback: false }), logger: silentLogger });
    const { program } = await new BootstrapFewShot({ metric: outputMatches, maxLabeledDemos: 0 }).compile(
      simpleProgram(),
      { trainset },
    );
    expect(demosOf(program)).toHaveLength(2);
    await (program as Predict).forward({ input: 'What is the color of the sky?' });
    const messages = lm.requests.at(-1)?.messages ?? [];
    expect(messages[2]?.content).toMatch(/^<output>\n(blue|Ring-ding-ding)\n<\/output>$/);
  });

  it('TwoStepAdapter: bootstraps from extracted outputs and shows demos naturally to the main LM', async () => {
    const main = new ScriptedLM((req) =>
      (req.messages.at(-1)?.content ?? '').includes('sky')
        ? 'The sky is blue.'
        : 'The fox says Ring-ding-ding.',
    );
    const extractor = new ScriptedLM((req) => {
      const last = req.messages.at(-1)?.content ?? '';
      return { output: last.includes('blue') ? 'blue' : 'Ring-ding-ding' };
    });
    configure({
      lm: main,
      adapter: new TwoStepAdapter({ extractionModel: extractor }),
      logger: silentLogger,
    });
    const { program } = await new BootstrapFewShot({ metric: outputMatches, maxLabeledDemos: 0 }).compile(
      simpleProgram(),
      { trainset },
    );
    expect(demosOf(program)).toHaveLength(2);
    await (program as Predict).forward({ input: 'What is the color of the sky?' });
    const messages = main.requests.at(-1)?.messages ?? [];
    expect(messages[1]?.content).toMatch(/^input: /);
    expect(messages[2]?.content).toMatch(/^output: (blue|Ring-ding-ding)$/);
  });
});
