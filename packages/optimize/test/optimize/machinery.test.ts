import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type CompileReport, saveReport } from '../../src/index.js';
import {
  Checkpoint,
  formatReport,
  progressBar,
  Rng,
  rankCandidates,
  renderScoreChart,
  ZERO_PHASE,
} from '../../src/internal.js';

describe('Rng', () => {
  it('is reproducible from its seed and independent per fork label', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 20 }, () => a.randint(0, 1000));
    expect(Array.from({ length: 20 }, () => b.randint(0, 1000))).toEqual(xs);
    expect(new Rng(42).fork('x').shuffle([1, 2, 3, 4, 5, 6])).toEqual(
      new Rng(42).fork('x').shuffle([1, 2, 3, 4, 5, 6]),
    );
    expect(new Rng(42).fork('x').randint(0, 1e9)).not.toBe(new Rng(42).fork('y').randint(0, 1e9));
  });

  it('spreads the first draws of nearby seeds over the whole range', () => {
    const firsts = Array.from({ length: 100 }, (_, s) => new Rng(s).randint(0, 1e9));
    const bins = new Array<number>(10).fill(0);
    for (const x of firsts)
      bins[Math.min(9, Math.floor(x / 1e8))] = (bins[Math.min(9, Math.floor(x / 1e8))] ?? 0) + 1;
    // Chi-square over 10 equal bins (9 degrees of freedom): 27.9 is the 0.1% critical value.
    const chi2 = bins.reduce((sum, n) => sum + (n - 10) ** 2 / 10, 0);
    expect(chi2).toBeLessThan(27.9);
    expect(new Set(Array.from({ length: 100 }, (_, s) => new Rng(s).randint(0, 9))).size).toBe(10);
    const spread = Math.max(...firsts) - Math.min(...firsts);
    expect(spread).toBeGreaterThan(5e8);
  });

  it('shuffles into a permutation, samples without replacement, keeps randint in range', () => {
    const rng = new Rng(1);
    const items = Array.from({ length: 30 }, (_, i) => i);
    expect([...rng.shuffle(items)].sort((x, y) => x - y)).toEqual(items);
    const s = rng.sample(items, 10);
    expect(new Set(s).size).toBe(10);
    expect(rng.sample(items, 100)).toHaveLength(30);
    for (let i = 0; i < 200; i++) {
      const v = rng.randint(1, 4);
      expect(v >= 1 && v <= 4).toBe(true);
    }
    expect(() => rng.randint(1, 0)).toThrow(/empty range/);
    expect(() => new Rng(1.5)).toThrow(/not an integer/);
  });
});

describe('Checkpoint', () => {
  it('replays finished steps and ignores a torn last line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ckpt-'));
    const path = join(dir, 'c.jsonl');
    const cp = await Checkpoint.open({ path, optimizer: 'X', fingerprint: 'f1' });
    await cp.put('a', { score: 1 });
    await cp.put('b', [1, 2]);
    await appendFile(path, '{"type":"record","key":"c","val');
    const again = await Checkpoint.open({ path, resume: true, optimizer: 'X', fingerprint: 'f1' });
    expect(again.resumed).toBe(2);
    expect(again.get('a')).toEqual({ score: 1 });
    expect(again.has('c')).toBe(false);
    await again.put('c', 3);
    const third = await Checkpoint.open({ path, resume: true, optimizer: 'X', fingerprint: 'f1' });
    expect(third.get('c')).toBe(3);
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines.every((l) => JSON.parse(l))).toBe(true);
  });

  it('starts afresh without resume and refuses another run’s file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ckpt-'));
    const path = join(dir, 'c.jsonl');
    const cp = await Checkpoint.open({ path, optimizer: 'X', fingerprint: 'f1' });
    await cp.put('a', 1);
    expect((await Checkpoint.open({ path, optimizer: 'X', fingerprint: 'f1' })).size).toBe(0);
    await expect(
      Checkpoint.open({ path, resume: true, optimizer: 'X', fingerprint: 'f2' }),
    ).rejects.toMatchObject({
      code: 'OPTIMIZER_INVALID',
    });
    await writeFile(path, 'not json\n');
    await expect(Checkpoint.open({ path, resume: true, optimizer: 'X', fingerprint: 'f1' })).rejects.toThrow(
      /no header/,
    );
  });

  it('resuming a missing file starts afresh', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ckpt-'));
    const cp = await Checkpoint.open({
      path: join(dir, 'new.jsonl'),
      resume: true,
      optimizer: 'X',
      fingerprint: 'f',
    });
    expect(cp.size).toBe(0);
  });
});

function sampleReport(): CompileReport {
  return {
    optimizer: 'BootstrapFewShotWithRandomSearch',
    options: { numCandidatePrograms: 2 },
    seed: 0,
    stoppedBy: 'completed',
    trainSize: 10,
    valSize: 5,
    bestScore: 80,
    bestCandidateId: -1,
    baselineScore: 20,
    candidates: rankCandidates([
      { id: -3, label: 'zero-shot', score: 20, demos: { self: 0 } },
      { id: -2, label: 'labeled only', score: 60, demos: { self: 4 } },
      { id: -1, label: 'bootstrap (unshuffled)', score: 80, demos: { self: 4 } },
      { id: 0, label: 'bootstrap seed 0 (2 demos)', score: 80, demos: { self: 4 } },
    ]),
    trials: [
      { trial: 1, candidateId: -3, score: 20, best: 20 },
      { trial: 2, candidateId: -2, score: 60, best: 60 },
      { trial: 3, candidateId: -1, score: 80, best: 80 },
      { trial: 4, candidateId: 0, score: 80, best: 80 },
    ],
    phases: {
      bootstrap: { ...ZERO_PHASE, lmCalls: 7, totalTokens: 700 },
      evaluate: { ...ZERO_PHASE, lmCalls: 20 },
    },
    total: { ...ZERO_PHASE, lmCalls: 27, totalTokens: 700 },
    dspyImpliedCalls: { calls: 27, how: 'test' },
    resumedSteps: 0,
    notes: ['a note'],
  };
}

describe('reports', () => {
  it('ranks candidates by score, ties in order', () => {
    expect(sampleReport().candidates.map((c) => c.rank)).toEqual([4, 3, 1, 2]);
  });

  it('formats a table of every candidate and phase', () => {
    const text = formatReport(sampleReport());
    expect(text).toContain('bootstrap (unshuffled)');
    expect(text).toMatch(/total\s+27/);
    expect(text).toContain('DSPy-implied LM calls: 27');
    expect(text).toContain('note: a note');
  });

  it('renders a self-contained SVG with one dot per trial', () => {
    const svg = renderScoreChart(sampleReport());
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<circle cx=/g)?.length).toBe(4 + 1); // trials + legend
    expect(svg).not.toMatch(/<script|href=/);
  });

  it('puts the legend on its own line under the title, above the plot', () => {
    const svg = renderScoreChart(sampleReport());
    const titleY = Number(/<text x="[\d.]+" y="([\d.]+)" fill="#333">[^<]* — best/.exec(svg)?.[1]);
    const legendY = Number(/<g transform="translate\([\d.]+,([\d.]+)\)">/.exec(svg)?.[1]);
    const topGridY = Number(
      /<line x1="[\d.]+" y1="([\d.]+)"/.exec(svg.slice(svg.indexOf('>100<') - 200))?.[1],
    );
    expect(legendY).toBeGreaterThan(titleY + 6);
    expect(topGridY).toBeGreaterThan(legendY + 6);
  });

  it('saveReport writes report.json, report.txt and report.svg', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'report-'));
    const out = await saveReport(sampleReport(), dir);
    expect(JSON.parse(await readFile(out.json, 'utf8'))).toMatchObject({ bestScore: 80 });
    expect(await readFile(out.text, 'utf8')).toContain('zero-shot');
    expect(await readFile(out.svg, 'utf8')).toContain('</svg>');
  });
});

describe('progressBar', () => {
  it('shows the best score on a terminal and ends at what was done when work ends early', () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let out = '';
    tty.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const bar = progressBar(undefined, tty);
    bar.start(12, 'COPRO');
    for (let i = 1; i <= 9; i++) bar.update(i, 40 + i);
    bar.stop();
    expect(out).toContain('COPRO');
    expect(out).toContain('9/9 | best 49.0');
    expect(out).not.toContain('9/12');
  });

  it('is quiet when the stream is not a terminal', () => {
    const pipe = new PassThrough();
    let written = false;
    pipe.on('data', () => {
      written = true;
    });
    const bar = progressBar(undefined, pipe);
    bar.start(3, 'X');
    bar.update(3, 1);
    bar.stop();
    expect(written).toBe(false);
  });
});
