import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dspyTs, makeProject } from './helpers.js';

/** Subprocesses start slowly on a busy machine (each one loads the TypeScript sources). */
const TIMEOUT = 180_000;
let dir = '';
const env = () => ({ DSPY_TS_CACHE_DIR: join(dir, '.cache'), OPENAI_API_KEY: '', DSPY_TS_LM: '' });

beforeAll(async () => {
  dir = await makeProject();
  const build = await dspyTs(['build', '--json'], dir, env());
  expect(build.code, build.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('dspy-ts compile warnings are true', () => {
  it.concurrent.each([
    ['LabeledFewShot', '{"k": 4}'],
    ['BootstrapFewShot', '{"maxBootstrappedDemos": 1, "maxLabeledDemos": 2}'],
  ])(
    '%s, which never scores candidates, finishes without the "no candidate was scored" warning',
    async (optimizer, options) => {
      const run = await dspyTs(
        [
          'compile',
          'src/triage.ts#Triage',
          '--optimizer',
          optimizer,
          '--trainset',
          'data/train.jsonl',
          '--metric',
          'exactMatch:label',
          '--options',
          options,
          '--out',
          `out/${optimizer}.json`,
          '--json',
        ],
        dir,
        env(),
      );
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ optimizer, bestScore: null, stoppedBy: 'completed' });
      expect(run.stderr).not.toContain('no candidate was scored');
      expect(run.stderr).not.toContain('Raise --budget');
    },
    TIMEOUT,
  );
});
