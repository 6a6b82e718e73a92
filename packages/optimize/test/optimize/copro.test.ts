import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, type LMRequest, silentLogger } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { OfflineLM, ScriptedLM } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { COPRO } from '../../src/index.js';
import { instructionsOf } from '../../src/internal.js';
import { numbered, outputMatches, simpleProgram } from './helpers.js';
import {
  banking,
  classifier,
  heldOutScore,
  inputField,
  instructionAnswer,
  isProposal,
  labelMatches,
  saved,
} from './instruct-helpers.js';

afterEach(() => resetSettings());

/** Proposal rounds served in order (one list per call); task calls answered by the instruction. */
function scripted(rounds: string[][]) {
  const proposals: LMRequest[] = [];
  let round = -1;
  let choice = 0;
  let lastIndex = -1;
  const lm = new ScriptedLM(
    (req, index) => {
      if (!isProposal(req)) return instructionAnswer(req);
      if (index !== lastIndex) {
        lastIndex = index;
        round += 1;
        choice = 0;
        proposals.push(req);
      }
      const list = rounds[round] ?? [];
      return { proposedInstruction: list[choice++ % Math.max(1, list.length)] ?? 'none' };
    },
    { nMode: 'next' },
  );
  return { lm, proposals };
}

describe('COPRO', () => {
  it('scores the original and breadth-1 proposals, feeds attempts back sorted, keeps the best', async () => {
    const { lm, proposals } = scripted([
      ['HALF a', 'plain b'],
      ['GOOD c', 'plain d', 'plain e'],
    ]);
    configure({ lm, logger: silentLogger });
    const student = simpleProgram();
    const { program, report } = await new COPRO({ metric: outputMatches, breadth: 3, depth: 2 }).compile(
      student,
      { trainset: numbered(4) },
    );
    expect(proposals).toHaveLength(2);
    expect(report.candidates.map((c) => c.extra?.instruction)).toEqual([
      student.signature.instructions,
      'HALF a',
      'plain b',
      'GOOD c',
      'plain d',
      'plain e',
    ]);
    expect(report.candidates.map((c) => c.score)).toEqual([0, 50, 0, 100, 0, 0]);
    const previous = JSON.parse(inputField(proposals[1] as LMRequest, 'previousInstructions')) as {
      score: number;
    }[];
    expect(previous.map((p) => p.score)).toEqual([0, 0, 50]);
    expect(instructionsOf(program).self).toBe('GOOD c');
    expect(report.bestScore).toBe(100);
    expect(report.baselineScore).toBe(0);
    expect(instructionsOf(student).self).not.toBe('GOOD c');
    expect(report.dspyImpliedCalls.calls).toBe(2 + 2 * 3 * 4);
  });

  it('rejects breadth 1 before any LM call', async () => {
    const lm = new ScriptedLM(() => ({ output: 'x' }));
    configure({ lm, logger: silentLogger });
    await expect(
      new COPRO({ metric: outputMatches, breadth: 1 }).compile(simpleProgram(), { trainset: numbered(2) }),
    ).rejects.toMatchObject({ code: 'OPTIMIZER_INVALID', message: expect.stringMatching(/breadth/) });
    expect(lm.requests).toHaveLength(0);
  });

  it('same seed → byte-identical artifact; the saved program reloads its instruction', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'copro-'));
    const run = async (file: string) => {
      configure({ lm: scripted([['HALF a', 'GOOD b']]).lm, logger: silentLogger });
      const { program } = await new COPRO({ metric: outputMatches, breadth: 3, depth: 1, seed: 3 }).compile(
        simpleProgram(),
        { trainset: numbered(4) },
      );
      return saved(program, dir, file);
    };
    const a = await run('a.json');
    expect(await run('b.json')).toBe(a);
    const reloaded = await simpleProgram().load(join(dir, 'a.json'));
    expect(reloaded.signature.instructions).toBe('GOOD b');
  });

  it('with OfflineLM on Banking77 beats zero-shot on held-out data', async () => {
    configure({ lm: new OfflineLM(), logger: silentLogger });
    const baseline = await heldOutScore(classifier());
    const { program, report } = await new COPRO({ metric: labelMatches, breadth: 4, depth: 2 }).compile(
      classifier(),
      { trainset: banking.train },
    );
    expect(report.bestScore).toBeGreaterThan(report.baselineScore ?? 100);
    expect(await heldOutScore(program)).toBeGreaterThan(baseline);
  });
});
