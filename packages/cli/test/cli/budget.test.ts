import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getDefaultCache, resetCacheConfig, resetSettings } from '@dspy-ts/core/internal';
import { ScriptedLM, startTestServer, type TestServer } from '@dspy-ts/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE, runCli } from '../../src/index.js';
import { capture } from './capture.js';

const PROGRAM = `${join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'triage-program.ts')}#triage`;
// The fixture's signature is a string: no project to build (the workspace's tsconfig is not its).
const NO_PROJECT = ['--project', join(tmpdir(), 'dspy-ts-no-project', 'tsconfig.json')];

describe('budgets and --dry-run on the command line', () => {
  let server: TestServer;
  let dir: string;
  let trainset: string;
  const saved = { key: process.env.OPENAI_API_KEY, cache: process.env.DSPY_TS_CACHE_DIR };

  beforeAll(async () => {
    server = await startTestServer({ lm: new ScriptedLM(() => ({ label: 'bug' })) });
    dir = await mkdtemp(join(tmpdir(), 'dspy-cli-budget-'));
    trainset = join(dir, 'train.jsonl');
    const rows = Array.from({ length: 8 }, (_, i) => ({
      subject: `the app crashes when I open screen ${i}`,
      votes: i,
      label: i % 2 ? 'bug' : 'feature',
    }));
    await writeFile(trainset, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    delete process.env.OPENAI_API_KEY;
    process.env.DSPY_TS_CACHE_DIR = '';
  });
  afterEach(() => {
    resetSettings();
    resetCacheConfig();
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
    if (saved.key !== undefined) process.env.OPENAI_API_KEY = saved.key;
    if (saved.cache === undefined) delete process.env.DSPY_TS_CACHE_DIR;
    else process.env.DSPY_TS_CACHE_DIR = saved.cache;
  });

  const compileArgs = (...extra: string[]) => [
    'compile',
    PROGRAM,
    '--optimizer',
    'BootstrapRS',
    '--trainset',
    trainset,
    '--options',
    '{"numCandidatePrograms": 2, "maxBootstrappedDemos": 2, "maxLabeledDemos": 2}',
    '--concurrency',
    '1',
    ...NO_PROJECT,
    ...extra,
  ];

  it('compile --dry-run prints the plan and its cost, calls no model, needs no key and writes nothing', async () => {
    const io = capture();
    const before = server.received;
    const out = join(dir, 'never.json');
    const code = await runCli(compileArgs('--dry-run', '--lm', 'openai/gpt-4o-mini', '--out', out), io);
    expect(code, io.err()).toBe(EXIT_OK);
    expect(server.received).toBe(before);
    expect(io.out()).toContain('no LM call was made');
    expect(io.out()).toMatch(/^bootstrap\s+24\s/m);
    expect(io.out()).toMatch(/^evaluate\s+40\s/m);
    expect(io.out()).toMatch(/^total\s+64\s+[\d,]+\s+[\d,]+\s+\$0\.\d+/m);
    expect(io.out()).toContain('model: openai/gpt-4o-mini ($0.15 / $0.60 per 1M input / output tokens)');
    await expect(readFile(out, 'utf8')).rejects.toThrow();

    const json = capture();
    expect(await runCli(compileArgs('--dry-run', '--json', '--lm', 'openai/gpt-4o-mini'), json)).toBe(
      EXIT_OK,
    );
    const plan = JSON.parse(json.out());
    expect(plan).toMatchObject({ optimizer: 'BootstrapFewShotWithRandomSearch', calls: 64, trainSize: 8 });
    expect(plan.cost).toBeGreaterThan(0);
  });

  it('compile without --out (and without --dry-run) is bad usage', async () => {
    const io = capture();
    expect(await runCli(compileArgs('--lm', 'offline'), io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain("'--out <file>'");
  });

  it('a bad --max-cost is bad usage', async () => {
    const io = capture();
    const args = compileArgs('--lm', 'offline', '--out', join(dir, 'x.json'), '--max-cost', 'lots');
    expect(await runCli(args, io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain("--max-cost must be a positive amount of US dollars, not 'lots'");
  });

  it('compile --max-cost stops within the cap and --resume with a larger one finishes it', async () => {
    const lm = ['--lm', 'openai/gpt-4o-mini', '--base-url', server.url];
    const out = join(dir, 'full.json');
    const full = capture();
    expect(await runCli(compileArgs(...lm, '--out', out, '--json'), full), full.err()).toBe(EXIT_OK);
    const total = JSON.parse(full.out()).cost as number;
    expect(total).toBeGreaterThan(0);

    // The process-wide cache would answer every call of the next run for free.
    await getDefaultCache()?.clear();
    const capped = join(dir, 'capped.json');
    const stopped = capture();
    const cap = (total / 2).toFixed(8);
    expect(await runCli(compileArgs(...lm, '--out', capped, '--json', '--max-cost', cap), stopped)).toBe(
      EXIT_OK,
    );
    const first = JSON.parse(stopped.out());
    expect(first.stoppedBy).toBe('budget');
    expect(first.cost).toBeLessThanOrEqual(Number(cap));
    expect(stopped.err()).toMatch(/budget exhausted: maxCost/);
    expect(stopped.err()).toContain('--resume');

    const resumed = capture();
    const args = compileArgs(...lm, '--out', capped, '--json', '--max-cost', String(total * 2), '--resume');
    expect(await runCli(args, resumed), resumed.err()).toBe(EXIT_OK);
    const second = JSON.parse(resumed.out());
    expect(second.stoppedBy).toBe('completed');
    expect(second.bestScore).toBe(JSON.parse(full.out()).bestScore);
    expect(second.cost).toBeLessThan(total);
  });

  it('eval --max-cost stops cleanly and says what it scored', async () => {
    await getDefaultCache()?.clear();
    const io = capture();
    const args = [
      'eval',
      PROGRAM,
      '--devset',
      trainset,
      '--lm',
      'openai/gpt-4o-mini',
      '--base-url',
      server.url,
      ...NO_PROJECT,
    ];
    expect(await runCli([...args, '--concurrency', '1', '--max-cost', '0.0007'], io), io.err()).toBe(EXIT_OK);
    // Without maxTokens a call is estimated at 1,000 completion tokens (about $0.0006 here).
    expect(io.err()).toMatch(/budget exhausted: maxCost \$0\.0007/);
    expect(io.err()).toMatch(/The score covers the \d of 8 examples that finished/);
    expect(io.out()).toMatch(/spent: \$0\.000\d, \d+ tokens/);
  });
});
