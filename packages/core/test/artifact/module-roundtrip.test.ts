import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChainOfThought, DspyError, Module, Predict } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';

class Pipeline extends Module {
  rewrite = new Predict('question -> query');
  answer = new ChainOfThought('question, query -> answer');
  override async forward(x: { question: string }) {
    const q = await this.rewrite.forward(x);
    return this.answer.forward({ question: x.question, query: q.query });
  }
}

class Drifted extends Module {
  rewrite = new Predict('question -> query, language');
  answer = new ChainOfThought('question, query -> answer');
  override async forward(x: { question: string }) {
    return this.answer.forward({ question: x.question, query: x.question });
  }
}

describe('Module.save / Module.load with real predictors', () => {
  it('round-trips demos and instructions through a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dspy-module-'));
    const path = join(dir, 'pipeline.json');
    const p = new Pipeline();
    p.rewrite.demos = [{ question: 'capital of France?', query: 'France capital' }];
    const [, cot] = p.namedPredictors().find(([k]) => k === 'answer.predict') ?? [];
    cot?.loadState({
      ...(cot?.dumpState() ?? { signature: { name: '', hash: '' }, demos: [] }),
      instructions: 'Answer tersely.',
    });
    await p.save(path);

    const json = JSON.parse(await readFile(path, 'utf8'));
    expect(Object.keys(json.predictors)).toEqual(['rewrite', 'answer.predict']);
    const loaded = await Pipeline.load(path);
    expect(loaded.rewrite.demos).toEqual(p.rewrite.demos);
    expect(loaded.namedPredictors().map(([k, v]) => [k, v.dumpState()])).toEqual(
      p.namedPredictors().map(([k, v]) => [k, v.dumpState()]),
    );
  });

  it('refuses an artifact compiled for another signature, naming the predictor', async () => {
    const artifactPath = join(await mkdtemp(join(tmpdir(), 'dspy-module-')), 'p.json');
    await new Pipeline().save(artifactPath);
    const err = await Drifted.load(artifactPath).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DspyError);
    expect((err as DspyError).code).toBe('ARTIFACT_MISMATCH');
    expect((err as DspyError).message).toContain("predictor 'rewrite'");
    const loose = await Drifted.load(artifactPath, { allowSignatureDrift: true });
    expect(loose.rewrite.demos).toEqual([]);
  });
});
