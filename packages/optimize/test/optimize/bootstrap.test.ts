import { configure, Example, type Metric, Predict, silentLogger } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { BootstrapFewShot } from '../../src/index.js';
import { demosOf, examples, outputMatches, simpleProgram } from './helpers.js';

afterEach(() => resetSettings());

/** Answers `output` by the example whose input appears in the last message. */
function answersFor(rows: Record<string, string>): ScriptedLM {
  return new ScriptedLM((req) => {
    const last = req.messages.at(-1)?.content ?? '';
    for (const [input, output] of Object.entries(rows)) if (last.includes(input)) return { output };
    return { output: 'unknown' };
  });
}

describe('BootstrapFewShot', () => {
  it('keeps the first passing trace as an augmented demo (DSPy effectiveness case)', async () => {
    const lm = new ScriptedLM([{ output: 'blue' }, { output: 'Ring-ding-ding' }]);
    configure({ lm, logger: silentLogger });
    const trainset = examples([
      ['What is the color of the sky?', 'blue'],
      ['What does the fox say?', 'Ring-ding-ding'],
    ]);
    const { program } = await new BootstrapFewShot({
      metric: outputMatches,
      maxBootstrappedDemos: 1,
      maxLabeledDemos: 1,
    }).compile(simpleProgram(), { trainset });
    expect(demosOf(program)).toEqual([
      { augmented: true, input: 'What is the color of the sky?', output: 'blue' },
    ]);
    expect(lm.requests).toHaveLength(1);
  });

  it('with one unsolvable example, the student demo is that raw example', async () => {
    const lm = new ScriptedLM([{ output: 'wrong' }]);
    configure({ lm, logger: silentLogger });
    const trainset = examples([['What does the fox say?', 'Ring-ding-ding']]);
    const { program } = await new BootstrapFewShot({
      metric: outputMatches,
      maxBootstrappedDemos: 1,
      maxLabeledDemos: 1,
    }).compile(simpleProgram(), { trainset });
    expect(demosOf(program)).toEqual([{ input: 'What does the fox say?', output: 'Ring-ding-ding' }]);
  });

  it('collects the passing examples in train order, then fills with raw ones that were not bootstrapped', async () => {
    const rows: [string, string][] = [
      ['alpha', 'A'],
      ['bravo', 'B'],
      ['charlie', 'C'],
      ['delta', 'D'],
      ['echo', 'E'],
      ['foxtrot', 'F'],
    ];
    // The teacher gets bravo and delta wrong.
    const lm = answersFor({ alpha: 'A', bravo: 'x', charlie: 'C', delta: 'x', echo: 'E', foxtrot: 'F' });
    configure({ lm, logger: silentLogger });
    const trainset = examples(rows);
    const opts = { metric: outputMatches, maxBootstrappedDemos: 2, maxLabeledDemos: 4, seed: 3 };
    const { program, report } = await new BootstrapFewShot(opts).compile(simpleProgram(), { trainset });
    const demos = demosOf(program) as Record<string, unknown>[];
    expect(demos.slice(0, 2)).toEqual([
      { augmented: true, input: 'alpha', output: 'A' },
      { augmented: true, input: 'charlie', output: 'C' },
    ]);
    expect(demos).toHaveLength(4);
    const raw = demos.slice(2).map((d) => d.input);
    for (const r of raw) expect(['bravo', 'delta', 'echo', 'foxtrot']).toContain(r);
    expect(demos.slice(2).every((d) => !('augmented' in d))).toBe(true);
    // alpha, bravo, charlie: three teacher runs
    expect(lm.requests).toHaveLength(3);
    expect(report.dspyImpliedCalls.calls).toBe(3);
    expect(report.total.lmCalls).toBe(3);
    // Same seed → same raw sample.
    const again = await new BootstrapFewShot(opts).compile(simpleProgram(), { trainset });
    expect(demosOf(again.program)).toEqual(demos);
  });

  it('hides each example from the teacher demos while it runs on it', async () => {
    const lm = answersFor({ alpha: 'A', bravo: 'B', charlie: 'C' });
    configure({ lm, logger: silentLogger });
    const trainset = examples([
      ['alpha', 'A'],
      ['bravo', 'B'],
      ['charlie', 'C'],
    ]);
    await new BootstrapFewShot({
      metric: outputMatches,
      maxBootstrappedDemos: 3,
      maxLabeledDemos: 16,
    }).compile(simpleProgram(), { trainset });
    expect(lm.requests).toHaveLength(3);
    lm.requests.forEach((req, i) => {
      const own = ['alpha', 'bravo', 'charlie'][i] as string;
      // system + two demo pairs + final user
      expect(req.messages).toHaveLength(6);
      const demoText = req.messages
        .slice(1, -1)
        .map((m) => m.content)
        .join('\n');
      expect(demoText).not.toContain(own);
    });
  });

  it('with maxErrors 1 the teacher’s first exception is raised', async () => {
    const lm = new ScriptedLM(() => {
      throw new Error('teacher exploded');
    });
    configure({ lm, logger: silentLogger });
    const trainset = examples([
      ['alpha', 'A'],
      ['bravo', 'B'],
    ]);
    await expect(
      new BootstrapFewShot({ metric: outputMatches, maxErrors: 1 }).compile(simpleProgram(), { trainset }),
    ).rejects.toThrow(/teacher exploded/);
    expect(lm.requests).toHaveLength(1);
  });

  it('tolerates errors below maxErrors and keeps going', async () => {
    let n = 0;
    const lm = new ScriptedLM(() => {
      n += 1;
      if (n === 1) throw new Error('flaky');
      return { output: 'B' };
    });
    configure({ lm, logger: silentLogger });
    const trainset = examples([
      ['alpha', 'A'],
      ['bravo', 'B'],
    ]);
    const { program, report } = await new BootstrapFewShot({
      metric: outputMatches,
      maxErrors: 3,
      maxLabeledDemos: 1,
    }).compile(simpleProgram(), { trainset });
    expect(demosOf(program)[0]).toEqual({ augmented: true, input: 'bravo', output: 'B' });
    expect(report.candidates[0]?.extra).toMatchObject({ errors: 1, bootstrapped: 1 });
  });

  it('later rounds sample at temperature 1.0 with a fresh rollout id', async () => {
    const lm = new ScriptedLM([{ output: 'wrong' }, { output: 'A' }]);
    configure({ lm, logger: silentLogger });
    const trainset = examples([['alpha', 'A']]);
    const { program } = await new BootstrapFewShot({ metric: outputMatches, maxRounds: 2 }).compile(
      simpleProgram(),
      {
        trainset,
      },
    );
    expect(lm.requests).toHaveLength(2);
    expect(lm.requests[0]?.rolloutId).toBeUndefined();
    expect(lm.requests[1]).toMatchObject({ rolloutId: 1, temperature: 1 });
    expect(demosOf(program)[0]).toMatchObject({ augmented: true, output: 'A' });
  });

  it('metricThreshold decides what passes', async () => {
    const lm = new ScriptedLM([{ output: 'half' }, { output: 'full' }]);
    configure({ lm, logger: silentLogger });
    const trainset = examples([
      ['alpha', 'x'],
      ['bravo', 'y'],
    ]);
    const metric: Metric = (_ex, pred) => (pred.get('output') === 'full' ? 1 : 0.5);
    const { program } = await new BootstrapFewShot({
      metric,
      metricThreshold: 0.9,
      maxBootstrappedDemos: 1,
      maxLabeledDemos: 1,
    }).compile(simpleProgram(), { trainset });
    expect(demosOf(program)).toEqual([{ augmented: true, input: 'bravo', output: 'full' }]);
  });

  it('never mutates the student', async () => {
    const lm = new ScriptedLM([{ output: 'A' }]);
    configure({ lm, logger: silentLogger });
    const student = new Predict('input -> output', { demos: [{ input: 'seed', output: 'S' }] });
    const before = JSON.stringify(student.dumpState());
    const { program } = await new BootstrapFewShot({ metric: outputMatches }).compile(student, {
      trainset: examples([['alpha', 'A']]),
    });
    expect(program).not.toBe(student);
    expect(JSON.stringify(student.dumpState())).toBe(before);
  });

  it('a teacher with other predictors is a clear error before any LM call', async () => {
    const lm = new ScriptedLM([{ output: 'A' }]);
    configure({ lm, logger: silentLogger });
    const teacher = new Predict('question -> answer');
    await expect(
      new BootstrapFewShot({ metric: outputMatches }).compile(simpleProgram(), {
        trainset: examples([['alpha', 'A']]),
        teacher,
      }),
    ).rejects.toMatchObject({ code: 'OPTIMIZER_INVALID' });
    expect(lm.requests).toHaveLength(0);
  });

  it('uses a given teacher', async () => {
    const student = simpleProgram();
    const teacher = simpleProgram();
    const strong = new ScriptedLM([{ output: 'A' }]);
    teacher.lm = strong;
    const weak = new ScriptedLM([{ output: 'nope' }]);
    configure({ lm: weak, logger: silentLogger });
    const { program } = await new BootstrapFewShot({ metric: outputMatches, maxLabeledDemos: 1 }).compile(
      student,
      {
        trainset: [new Example({ input: 'alpha', output: 'A' }).withInputs('input')],
        teacher,
      },
    );
    expect(strong.requests).toHaveLength(1);
    expect(weak.requests).toHaveLength(0);
    expect(demosOf(program)[0]).toMatchObject({ augmented: true });
  });
});
