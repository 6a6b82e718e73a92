import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Predict } from '../../src/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CORE = resolve(HERE, '..', '..');

/** An app as a user writes it: loads a frozen program and predicts through its own model. */
const APP = `
import { Predict, type LanguageModel } from '@dspy-ts/core';

const replies = [
  // Broken JSON on purpose: the list needs jsonrepair.
  '[[ ## answer ## ]]\\nParis\\n\\n[[ ## scores ## ]]\\n[1, 2,]\\n\\n[[ ## completed ## ]]',
];
const lm: LanguageModel = {
  model: 'in-process',
  async call() {
    const text = replies.shift() ?? '';
    const usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
    return { text, choices: [text], usage, model: 'in-process', finishReason: 'stop', cacheHit: false };
  },
};

const qa = new Predict('question: string -> answer: string, scores: number[]', { lm });
await qa.load(process.argv[2] ?? '');
const prediction = await qa.forward({ question: 'What is the capital of France?' });
process.stdout.write(JSON.stringify({ prediction: prediction.toJSON(), demos: qa.demos.length }));
`;

// An app outside the workspace bundles `@dspy-ts/core` with esbuild's default settings for Node;
// node then runs the bundle from a directory with no node_modules at all.
describe('an app bundled with esbuild', () => {
  let dir = '';
  let bundle = '';
  let artifact = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dspy-app-bundle-'));
    await mkdir(join(dir, 'app', 'node_modules', '@dspy-ts'), { recursive: true });
    await symlink(CORE, join(dir, 'app', 'node_modules', '@dspy-ts', 'core'), 'dir');
    await writeFile(join(dir, 'app', 'app.ts'), APP);
    await writeFile(join(dir, 'app', 'package.json'), '{ "type": "module" }');
    bundle = join(dir, 'out', 'app.mjs');
    await build({
      absWorkingDir: join(dir, 'app'),
      entryPoints: [join(dir, 'app', 'app.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      // The workspace's sources stand in for the published dist.
      conditions: ['@dspy-ts/source'],
      logLevel: 'silent',
    });
    const qa = new Predict('question: string -> answer: string, scores: number[]');
    qa.demos = [{ question: 'What is the capital of Italy?', answer: 'Rome', scores: [3] }];
    artifact = join(dir, 'out', 'qa.json');
    await qa.save(artifact);
  }, 90_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads the frozen artifact and predicts (ajv validation and jsonrepair inside the bundle)', () => {
    const r = spawnSync(process.execPath, [bundle, artifact], {
      cwd: join(dir, 'out'),
      // Only what a user's shell has: nothing that points module resolution at the workspace.
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      prediction: { answer: 'Paris', scores: [1, 2] },
      demos: 1,
    });
  }, 60_000);
});
