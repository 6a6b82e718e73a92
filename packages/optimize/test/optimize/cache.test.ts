import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, configureCache, LM, Predict, silentLogger } from '@dspy-ts/core';
import { resetCacheConfig, resetSettings } from '@dspy-ts/core/internal';
import { ScriptedLM, startTestServer } from '@dspy-ts/testing';
import { afterEach, expect, it } from 'vitest';
import { BootstrapRS } from '../../src/index.js';
import { provenanceOf } from '../../src/internal.js';
import { demoLearner, numbered, outputMatches } from './helpers.js';

afterEach(() => {
  resetSettings();
  resetCacheConfig();
});

it('a warm-cache recompile through the real LM client makes zero LM calls and the same artifact', async () => {
  await using server = await startTestServer({ lm: new ScriptedLM(demoLearner(['q1'])) });
  const dir = await mkdtemp(join(tmpdir(), 'opt-cache-'));
  const compile = async (file: string) => {
    configureCache({ dir: join(dir, 'cache') }); // a fresh memory layer over the same disk cache
    configure({
      lm: new LM('openai/scripted', { baseURL: server.url, apiKey: 'test' }),
      logger: silentLogger,
    });
    const { program, report } = await new BootstrapRS({
      metric: outputMatches,
      numCandidatePrograms: 2,
      maxLabeledDemos: 2,
      numThreads: 4,
    }).compile(new Predict('input -> output'), { trainset: numbered(5) });
    await program.save(join(dir, file));
    return { report, program, text: await readFile(join(dir, file), 'utf8') };
  };
  const cold = await compile('cold.json');
  const sent = server.requests.length;
  expect(sent).toBeGreaterThan(0);
  expect(cold.report.total.lmCalls).toBe(sent);
  const warm = await compile('warm.json');
  expect(server.requests.length).toBe(sent);
  expect(warm.report.total.lmCalls).toBe(0);
  expect(warm.report.total.cacheHits).toBe(cold.report.total.lmCalls + cold.report.total.cacheHits);
  expect(warm.text).toBe(cold.text);
  expect(provenanceOf(warm.program)?.scores).toEqual(
    cold.report.bestScore === undefined ? {} : expect.objectContaining({ best: cold.report.bestScore }),
  );

  // The artifact loads back into a fresh program with the same demos.
  const fresh = new Predict('input -> output');
  await fresh.load(join(dir, 'cold.json'));
  expect(fresh.demos).toEqual(cold.program.demos);
});
