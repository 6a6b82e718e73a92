import { configure, Example, isDspyError, Predict, silentLogger } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { BootstrapFewShot, LabeledFewShot } from '../../src/index.js';

afterEach(() => resetSettings());

const sig = "subject: string, tags: string[] -> label: 'bug' | 'feature'";
const trainset = [
  new Example({ subject: 'Crash on save', tags: ['editor'], label: 'bug' }),
  new Example({ subject: 123, tags: ['x'], label: 'bug' }),
  new Example({ subject: 'Dark mode', tags: 'ui', label: 'wish' }),
].map((e) => e.withInputs('subject', 'tags'));

describe('compile checks trainset and valset values against the program before any LM call', () => {
  it.each([
    ['LabeledFewShot', () => new LabeledFewShot({ k: 2 })],
    ['BootstrapFewShot', () => new BootstrapFewShot({ metric: () => 1 })],
  ])('%s rejects mistyped rows with one DATASET_INVALID', async (_name, make) => {
    const lm = new ScriptedLM(() => ({ label: 'bug' }));
    configure({ lm, logger: silentLogger });
    const err = await make()
      .compile(new Predict(sig), { trainset })
      .catch((e: unknown) => e);
    expect(isDspyError(err, 'DATASET_INVALID')).toBe(true);
    const message = (err as Error).message;
    expect(message).toContain("trainset[1]: 'subject' is 123: must be string");
    expect(message).toContain('trainset[2]: \'tags\' is "ui": must be array');
    expect(message).toContain('trainset[2]: \'label\' is "wish"');
    expect(lm.requests).toHaveLength(0);
  });

  it('checks the valset too', async () => {
    const lm = new ScriptedLM(() => ({ label: 'bug' }));
    configure({ lm, logger: silentLogger });
    const good = trainset.slice(0, 1);
    const err = await new BootstrapFewShot({ metric: () => 1 })
      .compile(new Predict(sig), { trainset: good, valset: trainset })
      .catch((e: unknown) => e);
    expect(isDspyError(err, 'DATASET_INVALID')).toBe(true);
    expect((err as Error).message).toContain("valset[1]: 'subject' is 123");
  });
});
