import { randomUUID } from 'node:crypto';
import { configure, Example, exactMatchOn, Module, Predict, silentLogger, toArtifact } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { BootstrapRS } from '@dspy-ts/optimize';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { QueueRunner, startWorker } from '../src/index.js';

const REDIS = process.env.DSPY_TS_TEST_REDIS_URL as string;

/** The student the optimizer compiles. */
class Student extends Module {
  predict = new Predict('input -> output');
  override forward(inputs: { input: string }) {
    return this.predict.forward(inputs);
  }
}

/** `n` examples `q<i>` → `ans:q<i>`. */
function numbered(n: number, prefix: string) {
  return Array.from({ length: n }, (_, i) =>
    new Example({ input: `${prefix}${i}`, output: `ans:${prefix}${i}` }).withInputs('input'),
  );
}

/** Answers `ans:<input>` once it was shown demos, except on q2; `?` without demos. */
function learner(): ScriptedLM {
  return new ScriptedLM((req) => {
    const last = String(req.messages.at(-1)?.content ?? '');
    const input = /(\S+)\s*$/.exec(last.split('\n').find((l) => l.includes('input')) ?? '')?.[1] ?? '';
    const shown = req.messages.length > 2;
    return { output: shown && input !== 'q2' ? `ans:${input}` : '?' };
  });
}

afterEach(() => resetSettings());

describe('an optimizer with a QueueRunner', () => {
  it('evaluates its candidates on the workers and compiles the same program as locally', async () => {
    const lm = learner();
    configure({ lm, logger: silentLogger });
    const options = {
      metric: exactMatchOn('output'),
      numCandidatePrograms: 3,
      maxBootstrappedDemos: 2,
      maxLabeledDemos: 2,
      seed: 7,
    };
    const data = { trainset: numbered(6, 'q'), valset: numbered(4, 'v') };
    const local = await new BootstrapRS(options).compile(new Student(), data);

    const queue = `compile-${randomUUID()}`;
    const worker = await startWorker({
      connection: REDIS,
      programs: { 'src/student.ts#Student': Student },
      queue,
    });
    const runner = new QueueRunner({ connection: REDIS, queue });
    try {
      const remote = await new BootstrapRS({ ...options, runner }).compile(new Student(), data);
      // Every candidate's valset evaluation ran on the worker.
      expect(worker.processed).toBe(remote.report.candidates.length * data.valset.length);
      expect(remote.report.candidates.map((c) => c.score)).toEqual(
        local.report.candidates.map((c) => c.score),
      );
      const bytes = (program: object) =>
        JSON.stringify(toArtifact(program, { provenance: { createdAt: '2026-01-01T00:00:00.000Z' } }));
      expect(bytes(remote.program)).toBe(bytes(local.program));
    } finally {
      await runner.close();
      await worker.close();
    }
  });
});
