import { configure, silentLogger } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// The in-memory SDK set-up of core's telemetry tests (the SDK packages are core's devDependencies).
import { names, type Recorded, recordTelemetry, SpanStatusCode } from '../../../core/test/telemetry/sdk.js';
import { BootstrapRS, LabeledFewShot } from '../../src/index.js';
import { demoLearner, numbered, outputMatches, simpleProgram } from './helpers.js';

let otel: Recorded;
beforeEach(() => {
  otel = recordTelemetry();
});
afterEach(async () => {
  resetSettings();
  await otel.close();
});

describe('spans of a compile', () => {
  it('a compile span over one trial span per evaluated candidate, each with its score', async () => {
    configure({ lm: new ScriptedLM(demoLearner(['q2'])), logger: silentLogger });
    const { report } = await new BootstrapRS({
      metric: outputMatches,
      numCandidatePrograms: 1,
      maxBootstrappedDemos: 2,
      maxLabeledDemos: 2,
    }).compile(simpleProgram(), { trainset: numbered(6), valset: numbered(3, 'v') });
    const compile = otel.span('dspy.compile BootstrapFewShotWithRandomSearch');
    expect(compile.parentSpanContext).toBeUndefined();
    expect(compile.attributes).toMatchObject({
      'dspy.optimizer.name': 'BootstrapFewShotWithRandomSearch',
      'dspy.compile.best_score': report.bestScore,
    });
    const trials = otel.children(compile).filter((s) => s.name === 'dspy.optimize.trial');
    expect(trials.map((t) => t.attributes['dspy.trial.score'])).toEqual(report.trials.map((t) => t.score));
    expect(trials.map((t) => t.attributes['dspy.trial.key'])).toEqual(
      report.candidates.map((c) => `candidate:${c.id}`),
    );
    for (const trial of trials) {
      expect(trial.attributes['dspy.trial.size']).toBe(3);
      const [run, ...more] = otel.children(trial);
      expect(more).toEqual([]);
      expect(run?.name).toMatch(/^dspy\.evaluate /);
      expect(otel.children(run as NonNullable<typeof run>)).toHaveLength(3);
    }
  });

  it('a compile that fails is ERROR with its exception', async () => {
    const optimizer = new LabeledFewShot({ k: 2 });
    await expect(optimizer.compile(simpleProgram(), { trainset: [] })).rejects.toThrow();
    const names_ = names(otel.spans());
    expect(names_).toBe('dspy.compile LabeledFewShot');
    const compile = otel.span('dspy.compile LabeledFewShot');
    expect(compile.status.code).toBe(SpanStatusCode.ERROR);
    expect(compile.events.map((e) => e.name)).toEqual(['exception']);
  });
});
