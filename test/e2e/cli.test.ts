import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineLM, startTestServer, type TestServer } from '../../packages/testing/src/index.js';
import { dspyTs, makeProject } from './helpers.js';

/** Subprocesses start slowly on a busy machine (each one loads the TypeScript sources). */
const TIMEOUT = 180_000;
let dir = '';
let cache = '';
let server: TestServer;
// No OPENAI_API_KEY: a custom --base-url needs no key.
const env = () => ({ DSPY_TS_CACHE_DIR: cache, OPENAI_API_KEY: '', DSPY_TS_LM: '' });

beforeAll(async () => {
  dir = await makeProject();
  cache = join(dir, '.cache');
  server = await startTestServer({ lm: new OfflineLM() });
  const build = await dspyTs(['build', '--json'], dir, env());
  expect(build.stderr).toBe('');
  expect(build.code).toBe(0);
  const found = JSON.parse(build.stdout) as { signatures: { name: string; hash: string }[] };
  expect(found.signatures.map((s) => s.name)).toEqual(['ClassifyIntent']);
}, 120_000);

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('dspy-ts through real subprocesses', () => {
  it.concurrent(
    'build → compile → inspect → run → eval against the loopback server',
    async () => {
      expect(existsSync(join(dir, 'src/dspy.generated.ts'))).toBe(true);
      const lm = ['--lm', 'openai/offline', '--base-url', server.url];

      const compile = await dspyTs(
        [
          'compile',
          'src/triage.ts#Triage',
          '--optimizer',
          'BootstrapRS',
          '--trainset',
          'data/train.jsonl',
          '--valset',
          'data/dev.jsonl',
          '--metric',
          'exactMatch:label',
          '--options',
          '{"numCandidatePrograms": 2}',
          '--out',
          'out/triage.json',
          '--json',
          ...lm,
        ],
        dir,
        env(),
      );
      expect(compile.stderr).not.toContain('offline default');
      expect(compile.code, compile.stderr).toBe(0);
      const summary = JSON.parse(compile.stdout) as {
        bestScore: number;
        baselineScore: number;
        lmCalls: number;
      };
      expect(summary.bestScore).toBeGreaterThan(summary.baselineScore);
      expect(summary.lmCalls).toBeGreaterThan(0);
      const requestsAfterCompile = server.requests.length;
      expect(requestsAfterCompile).toBeGreaterThan(0);
      expect(existsSync(join(dir, 'out/triage.report.json'))).toBe(true);
      const artifact = JSON.parse(await readFile(join(dir, 'out/triage.json'), 'utf8')) as {
        provenance: { program: { module: string; export: string } };
      };
      expect(artifact.provenance.program).toEqual({ module: '../src/triage.ts', export: 'Triage' });

      // inspect, run and eval only read the artifact: run them side by side.
      const program = ['--program', 'src/triage.ts#Triage'];
      const [inspect, run, evalRun, badInput] = await Promise.all([
        dspyTs(['inspect', 'out/triage.json'], dir, env()),
        // The artifact's provenance is information only: the program is named.
        dspyTs(
          [
            'run',
            'out/triage.json',
            ...program,
            '--input',
            '{"text": "my new card still has not arrived"}',
            '--json',
            ...lm,
          ],
          dir,
          env(),
        ),
        dspyTs(
          [
            'eval',
            'out/triage.json',
            ...program,
            '--devset',
            'data/dev.jsonl',
            '--metric',
            'exactMatch:label',
            '--save-as',
            'out/results.csv',
            '--json',
            ...lm,
          ],
          dir,
          env(),
        ),
        dspyTs(['run', 'out/triage.json', ...program, '--input', '{"txt": "a typo"}', ...lm], dir, env()),
      ]);
      // An input the program refuses is bad usage, with the inputs it takes.
      expect(badInput.code, badInput.stderr).toBe(2);
      expect(badInput.stderr).toContain("--input: Predict(ClassifyIntent): missing required input 'text'");
      expect(inspect.code, inspect.stderr).toBe(0);
      expect(inspect.stdout).toMatch(/^classify {2}signature ClassifyIntent #[0-9a-f]+$/m);
      expect(inspect.stdout).toMatch(/demos: \d+/);
      expect(inspect.stdout).toContain('optimizer: BootstrapFewShotWithRandomSearch');
      expect(inspect.stdout).toMatch(/scores: baseline [\d.]+, best [\d.]+/);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({ label: 'card_arrival' });
      expect(server.requests.length).toBeGreaterThan(requestsAfterCompile);
      expect(evalRun.code, evalRun.stderr).toBe(0);
      expect(JSON.parse(evalRun.stdout).score).toBeGreaterThan(summary.baselineScore);
      expect((await readFile(join(dir, 'out/results.csv'), 'utf8')).split('\n')[0]).toContain('pred.label');
    },
    TIMEOUT,
  );

  it.concurrent(
    'with no LM set it uses the offline default and says so in one line',
    async () => {
      const res = await dspyTs(
        ['run', 'out-none.json', '--program', 'src/triage.ts#Triage', '--input', '{"text":"x"}'],
        dir,
        env(),
      );
      // The artifact is missing: bad usage, reported before any LM is chosen.
      expect(res.code).toBe(2);
      const [evalRun, starved] = await Promise.all([
        dspyTs(
          ['eval', 'src/triage.ts#Triage', '--devset', 'data/dev.jsonl', '--metric', 'exactMatch:label'],
          dir,
          env(),
        ),
        dspyTs(
          [
            'compile',
            'src/triage.ts#Triage',
            '--optimizer',
            'MIPROv2',
            '--trainset',
            'data/train.jsonl',
            '--budget',
            'calls=1',
            '--out',
            'out/starved.json',
            '--json',
          ],
          dir,
          env(),
        ),
      ]);
      // A budget spent before any candidate is scored is said on stderr, not hidden.
      expect(starved.code, starved.stderr).toBe(0);
      expect(JSON.parse(starved.stdout)).toMatchObject({ bestScore: null, stoppedBy: 'budget' });
      expect(starved.stderr).toContain('no candidate was scored before the run stopped (budget)');
      expect(evalRun.code, evalRun.stderr).toBe(0);
      const notices = evalRun.stderr.split('\n').filter((l) => l.includes('offline default'));
      expect(notices).toHaveLength(1);
      expect(evalRun.stdout).toMatch(/score: [\d.]+% on 18 example\(s\)/);
    },
    TIMEOUT,
  );
});

describe('bad usage exits with code 2 and says how to fix it', () => {
  const compileArgs = (program: string, trainset: string, optimizer = 'BootstrapRS') => [
    'compile',
    program,
    '--optimizer',
    optimizer,
    '--trainset',
    trainset,
    '--out',
    'out/x.json',
    '--lm',
    'offline',
  ];

  it.concurrent(
    'a missing dataset file',
    async () => {
      const res = await dspyTs(compileArgs('src/triage.ts#Triage', 'data/nope.jsonl'), dir, env());
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('dataset file not found: data/nope.jsonl');
      expect(res.stderr).toContain('How to fix');
    },
    TIMEOUT,
  );

  it.concurrent(
    'a missing program module',
    async () => {
      const res = await dspyTs(compileArgs('src/nope.ts#Triage', 'data/train.jsonl'), dir, env());
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('program module not found: src/nope.ts');
    },
    TIMEOUT,
  );

  it.concurrent(
    'a wrong export name lists the exports there are',
    async () => {
      const res = await dspyTs(compileArgs('src/triage.ts#Triag', 'data/train.jsonl'), dir, env());
      expect(res.code).toBe(2);
      expect(res.stderr).toContain("src/triage.ts has no export 'Triag'");
      expect(res.stderr).toContain('src/triage.ts#Triage');
    },
    TIMEOUT,
  );

  it.concurrent(
    'a malformed JSONL line, with its line number',
    async () => {
      const lines = (await readFile(join(dir, 'data/train.jsonl'), 'utf8')).split('\n');
      lines.splice(3, 0, '{"text": "broken", "label": ');
      await writeFile(join(dir, 'data/broken.jsonl'), lines.join('\n'));
      const res = await dspyTs(compileArgs('src/triage.ts#Triage', 'data/broken.jsonl'), dir, env());
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('data/broken.jsonl:4: malformed JSONL line');
      expect(res.stderr).toContain('Make line 4 one JSON object');
    },
    TIMEOUT,
  );

  it.concurrent(
    'an unknown optimizer names the known ones',
    async () => {
      const res = await dspyTs(
        compileArgs('src/triage.ts#Triage', 'data/train.jsonl', 'Bootstrapp'),
        dir,
        env(),
      );
      expect(res.code).toBe(2);
      expect(res.stderr).toContain("unknown optimizer 'Bootstrapp'");
      expect(res.stderr).toContain('BootstrapRS');
    },
    TIMEOUT,
  );

  it.concurrent(
    'a missing required option, and --help on every command',
    async () => {
      const res = await dspyTs(
        ['compile', 'src/triage.ts#Triage', '--trainset', 'data/train.jsonl'],
        dir,
        env(),
      );
      expect(res.code).toBe(2);
      expect(res.stderr).toContain("required option '--optimizer <name>' not specified");
      // Every command's --help is checked in process (packages/cli/test); two through the binary here.
      const commands = ['compile', 'run'];
      const helps = await Promise.all(commands.map((c) => dspyTs([c, '--help'], dir, env())));
      helps.forEach((help, i) => {
        expect(help.code).toBe(0);
        expect(help.stdout).toContain(`Usage: dspy-ts ${commands[i]}`);
      });
    },
    TIMEOUT,
  );
});
