import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getDefaultCache, resetCacheConfig, resetSettings } from '@dspy-ts/core/internal';
import { ScriptedLM, startTestServer, type TestServer } from '@dspy-ts/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadDistributed } from '../../src/commands/worker.js';
import { EXIT_OK, EXIT_USAGE, runCli } from '../../src/index.js';
import { capture } from './capture.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(HERE, 'fixtures');
const BIN = resolve(HERE, '..', '..', 'bin', 'dspy-ts.js');
const REDIS = process.env.DSPY_TS_TEST_REDIS_URL as string;

/**
 * Answers `a<n>` to `q<n>` / `v<n>` once shown demos, and without demos except when n is a
 * multiple of 3; never on n = 2. The same answer to the same request in every process.
 */
function learner(): ScriptedLM {
  return new ScriptedLM(
    (req) => {
      const last = String(req.messages.at(-1)?.content ?? '');
      const n = Number(/\b[qv](\d+)\b/.exec(last)?.[1] ?? -1);
      const shown = req.messages.length > 2;
      return { answer: (shown || n % 3 !== 0) && n !== 2 ? `a${n}` : 'wrong' };
    },
    { keepRequests: 0 },
  );
}

/** JSONL rows `{ question: <prefix><i>, answer: a<i> }` for i in [from, to). */
async function writeRows(file: string, prefix: string, from: number, to: number): Promise<string> {
  const rows = [];
  for (let i = from; i < to; i += 1)
    rows.push(JSON.stringify({ question: `${prefix}${i}`, answer: `a${i}` }));
  await writeFile(file, `${rows.join('\n')}\n`);
  return file;
}

interface WorkerProcess {
  readonly child: ChildProcess;
  readonly log: () => string;
  readonly exited: Promise<number | null>;
}

/** Starts `dspy-ts worker` serving the fixture QA in the fixtures directory; resolves once ready. */
function startWorkerProcess(server: string, queue: string): Promise<WorkerProcess> {
  return spawnWorker(FIXTURES, [
    'worker',
    '--program',
    'qa-program.ts#QA',
    '--redis',
    REDIS,
    '--queue',
    queue,
    '--lm',
    'openai/test-model',
    '--base-url',
    server,
    '--concurrency',
    '4',
    '--log-every',
    '0',
  ]);
}

/** Starts `dspy-ts <args>` in `cwd` (a worker); resolves once it says it is ready. */
function spawnWorker(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, DSPY_TS_CACHE_DIR: '', DSPY_TS_LM: '', DSPY_TS_REDIS_URL: '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((ready, fail) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes(' ready: ')) ready({ child, log: () => log, exited });
    });
    void exited.then((code) =>
      fail(new Error(`dspy-ts worker exited with ${code} before it was ready:\n${log}`)),
    );
  });
}

/** Stops a worker with SIGTERM and returns how many examples it said it ran. */
async function stopWorker(worker: WorkerProcess): Promise<number> {
  if (worker.child.exitCode === null) worker.child.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
  return Number(/stopped after (\d+) example/.exec(worker.log())?.[1] ?? Number.NaN);
}

/** A port nothing listens on: the one of a server started and stopped at once. */
async function deadPort(): Promise<number> {
  const probe = createServer();
  const port = await new Promise<number>((done) =>
    probe.listen(0, '127.0.0.1', () => done((probe.address() as { port: number }).port)),
  );
  await new Promise((done) => probe.close(done));
  return port;
}

const LM_FLAGS = (server: TestServer) => ['--lm', 'openai/test-model', '--base-url', server.url];

describe('eval and compile with --redis, on dspy-ts worker processes', () => {
  let server: TestServer;
  let dir: string;
  let devset: string;
  let trainset: string;
  let valset: string;
  const queue = `cli-queue-${randomUUID()}`;
  const workers: WorkerProcess[] = [];
  const cwd = process.cwd();
  const savedEnv = process.env.DSPY_TS_REDIS_URL;

  beforeAll(async () => {
    server = await startTestServer({ lm: learner(), keepRequests: 0 });
    dir = await mkdtemp(join(tmpdir(), 'dspy-cli-queue-'));
    devset = await writeRows(join(dir, 'dev.jsonl'), 'q', 0, 12);
    trainset = await writeRows(join(dir, 'train.jsonl'), 'q', 20, 26);
    valset = await writeRows(join(dir, 'val.jsonl'), 'v', 0, 4);
    workers.push(...(await Promise.all([1, 2].map(() => startWorkerProcess(server.url, queue)))));
    // The workers serve `qa-program.ts#QA` from the fixtures directory: so do the commands.
    process.chdir(FIXTURES);
    delete process.env.DSPY_TS_REDIS_URL;
  }, 60_000);

  afterEach(() => {
    resetSettings();
    resetCacheConfig();
    if (savedEnv === undefined) delete process.env.DSPY_TS_REDIS_URL;
    else process.env.DSPY_TS_REDIS_URL = savedEnv;
  });

  afterAll(async () => {
    process.chdir(cwd);
    for (const { child } of workers) if (child.exitCode === null) child.kill('SIGKILL');
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('eval --redis gives the score of the local run; DSPY_TS_REDIS_URL does the same, --no-redis stays here', async () => {
    const evalArgs = (...extra: string[]) => [
      'eval',
      'qa-program.ts#QA',
      '--devset',
      devset,
      '--json',
      ...LM_FLAGS(server),
      ...extra,
    ];
    const local = capture();
    expect(await runCli(evalArgs(), local), local.err()).toBe(EXIT_OK);
    const localJson = JSON.parse(local.out());
    // q0, q2, q3, q6, q9 are answered wrong without demos.
    expect(localJson).toMatchObject({ examples: 12, errors: 0 });
    expect(localJson.score).toBeCloseTo((100 * 7) / 12);
    expect(local.err()).not.toContain('evaluations go to');

    // This process's LM cache would answer a second local run; the workers have caches of their own.
    await getDefaultCache()?.clear();
    const before = server.received;
    const remote = capture();
    const code = await runCli(
      evalArgs('--redis', REDIS, '--queue', queue, '--examples-per-job', '2'),
      remote,
    );
    expect(code, remote.err()).toBe(EXIT_OK);
    expect(JSON.parse(remote.out())).toEqual(localJson);
    expect(remote.err()).toContain(`dspy-ts: evaluations go to 2 worker(s) of queue ${queue} at ${REDIS}.`);
    // Every example's LM call was made by a worker (this process's cache was empty).
    expect(server.received - before).toBe(12);
    expect(workers.map((w) => w.log()).join('')).toMatch(/run [\w-]+: program qa-program\.ts#QA/);

    // The environment names the Redis as it does for dspy-ts worker; --no-redis overrides it.
    process.env.DSPY_TS_REDIS_URL = REDIS;
    const fromEnv = capture();
    expect(await runCli(evalArgs('--queue', queue, '--metric', 'exactMatch'), fromEnv), fromEnv.err()).toBe(
      EXIT_OK,
    );
    expect(JSON.parse(fromEnv.out()).score).toBe(localJson.score);
    expect(fromEnv.err()).toContain('(from DSPY_TS_REDIS_URL; --no-redis evaluates here)');
    const here = capture();
    expect(await runCli(evalArgs('--no-redis'), here), here.err()).toBe(EXIT_OK);
    expect(JSON.parse(here.out()).score).toBe(localJson.score);
    expect(here.err()).not.toContain('evaluations go to');

    // The workers make every LM call: this process needs no key for its LM, nor says it is offline.
    const key = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      for (const lm of [['--lm', 'openai/gpt-4o-mini'], []]) {
        const keyless = capture();
        const args = [
          'eval',
          'qa-program.ts#QA',
          '--devset',
          devset,
          '--json',
          '--redis',
          REDIS,
          '--queue',
          queue,
          ...lm,
        ];
        expect(await runCli(args, keyless), keyless.err()).toBe(EXIT_OK);
        expect(JSON.parse(keyless.out()).score).toBe(localJson.score);
        expect(keyless.err()).not.toContain('OfflineLM');
      }
    } finally {
      if (key !== undefined) process.env.OPENAI_API_KEY = key;
    }
  }, 60_000);

  it('compile --redis evaluates the candidates on the workers and writes the artifact of the local run, byte for byte', async () => {
    const compileArgs = (out: string, ...extra: string[]) => [
      'compile',
      // An absolute path: the workers are still asked for qa-program.ts#QA (relative to here).
      join(FIXTURES, 'qa-program.ts#QA'),
      '--optimizer',
      'BootstrapRS',
      '--trainset',
      trainset,
      '--valset',
      valset,
      '--options',
      '{"numCandidatePrograms": 3, "maxBootstrappedDemos": 2, "maxLabeledDemos": 2}',
      '--seed',
      '7',
      '--out',
      out,
      '--json',
      ...LM_FLAGS(server),
      ...extra,
    ];
    const localOut = join(dir, 'local.json');
    const local = capture();
    expect(await runCli(compileArgs(localOut), local), local.err()).toBe(EXIT_OK);
    await getDefaultCache()?.clear();

    // The runs the workers joined (each logs a run the first time it takes one of its jobs).
    const runIds = () =>
      new Set(workers.flatMap((w) => [...w.log().matchAll(/run ([\w-]+): program /g)].map((m) => m[1])));
    const ran = runIds().size;
    const remoteOut = join(dir, 'remote.json');
    const remote = capture();
    const args = compileArgs(remoteOut, '--redis', REDIS, '--queue', queue);
    expect(await runCli(args, remote), remote.err()).toBe(EXIT_OK);
    const localJson = JSON.parse(local.out());
    const remoteJson = JSON.parse(remote.out());
    expect(remoteJson.bestScore).toBe(localJson.bestScore);
    expect(remoteJson.baselineScore).toBe(localJson.baselineScore);
    expect(remoteJson.bestScore).toBeGreaterThan(remoteJson.baselineScore);
    // Every candidate's valset evaluation ran on the workers (one run each); only the
    // bootstrapping calls were made here.
    const report = JSON.parse(await readFile(remoteJson.report.json, 'utf8')) as {
      candidates: unknown[];
      options: Record<string, unknown>;
    };
    expect(report.candidates.length).toBeGreaterThanOrEqual(4);
    expect(runIds().size - ran).toBe(report.candidates.length);
    expect(localJson.lmCalls - remoteJson.lmCalls).toBe(report.candidates.length * 4);

    // The same artifact, byte for byte (the report, not the artifact, says where candidates ran).
    expect(await readFile(remoteOut, 'utf8')).toBe(await readFile(localOut, 'utf8'));
    expect(report.options.runner).toBe('<QueueRunner>');

    // The artifact scored here and on the workers (which get its demos with the run's data).
    const scored: number[] = [];
    for (const where of [[], ['--redis', REDIS, '--queue', queue]]) {
      const io = capture();
      const args = ['eval', localOut, '--program', 'qa-program.ts#QA', '--devset', devset, '--json'];
      expect(await runCli([...args, ...LM_FLAGS(server), ...where], io), io.err()).toBe(EXIT_OK);
      scored.push(JSON.parse(io.out()).score);
    }
    // With demos only q2 is answered wrong.
    expect(scored).toEqual([(100 * 11) / 12, (100 * 11) / 12]);

    // A compile on workers stopped by its budget resumes here, without --redis, from its
    // checkpoint (where candidates ran is not part of it), and ends with the same program.
    await getDefaultCache()?.clear();
    const cappedOut = join(dir, 'capped.json');
    const capped = capture();
    const cap = compileArgs(cappedOut, '--redis', REDIS, '--queue', queue, '--max-tokens', '1500');
    expect(await runCli(cap, capped), capped.err()).toBe(EXIT_OK);
    expect(JSON.parse(capped.out()).stoppedBy).toBe('budget');
    expect(capped.err()).toContain('--resume');
    const resumed = capture();
    const more = compileArgs(cappedOut, '--resume', '--max-tokens', '1000000');
    expect(await runCli(more, resumed), resumed.err()).toBe(EXIT_OK);
    expect(JSON.parse(resumed.out())).toMatchObject({
      stoppedBy: 'completed',
      bestScore: localJson.bestScore,
    });
    const { provenance: p1, ...rest1 } = JSON.parse(await readFile(cappedOut, 'utf8'));
    const { provenance: p2, ...rest2 } = JSON.parse(await readFile(localOut, 'utf8'));
    expect(rest1).toEqual(rest2);
    expect(p1.scores).toEqual(p2.scores);
  }, 90_000);

  it('a budget reaches the workers: --max-tokens stops the distributed eval and the spend is read from Redis', async () => {
    // Questions no earlier run asked: a call a worker's cache answered would cost nothing.
    const fresh = await writeRows(join(dir, 'fresh.jsonl'), 'q', 100, 124);
    const before = server.received;
    const io = capture();
    const args = ['eval', 'qa-program.ts#QA', '--devset', fresh, '--json', ...LM_FLAGS(server)];
    const code = await runCli([...args, '--redis', REDIS, '--queue', queue, '--max-tokens', '2500'], io);
    expect(code, io.err()).toBe(EXIT_OK);
    const json = JSON.parse(io.out());
    expect(json.stoppedBy).toBe('budget');
    expect(json.stopDetail).toContain('maxTokens 2,500');
    // Each call is estimated at its prompt plus 1,000 completion tokens: a few fit, never 24.
    const calls = server.received - before;
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThan(24);
    expect(json.examples).toBeLessThan(24);
    // What the workers spent, as counted in the run's total in Redis.
    expect(json.tokens).toBeGreaterThan(0);
    expect(json.tokens).toBeLessThanOrEqual(2500);
    expect(io.err()).toContain('raise --max-cost / --max-tokens');
  }, 60_000);

  it('waits for a worker when none listens, saying how to start one', async () => {
    const lonely = `cli-lonely-${randomUUID()}`;
    const io = capture();
    const args = ['eval', 'qa-program.ts#QA', '--devset', devset, '--json', ...LM_FLAGS(server)];
    const run = runCli([...args, '--redis', REDIS, '--queue', lonely], io);
    while (!io.err().includes('no worker listens yet')) {
      if (io.out() !== '') throw new Error(`eval ended without a worker: ${io.err()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(io.err()).toContain(
      `where no worker listens yet: they wait there until one starts (dspy-ts worker --program qa-program.ts#QA --queue ${lonely} --redis ${REDIS})`,
    );
    const late = await startWorkerProcess(server.url, lonely);
    workers.push(late);
    expect(await run, io.err()).toBe(EXIT_OK);
    expect(JSON.parse(io.out())).toMatchObject({ examples: 12, errors: 0 });
    expect(await stopWorker(late)).toBe(12);
  }, 60_000);
  it('Ctrl-C stops the run and takes its jobs off the queue, whatever the terminal', async () => {
    const lonely = `cli-sigint-${randomUUID()}`;
    const io = capture();
    const before = new Set(process.listeners('SIGINT'));
    const args = ['eval', 'qa-program.ts#QA', '--devset', devset, '--json', ...LM_FLAGS(server)];
    const run = runCli([...args, '--redis', REDIS, '--queue', lonely], io);
    let added: NodeJS.SignalsListener[] = [];
    while (added.length === 0) {
      if (io.out() !== '') throw new Error(`eval ended without a worker: ${io.err()}`);
      added = process.listeners('SIGINT').filter((l) => !before.has(l));
      await new Promise((r) => setTimeout(r, 20));
    }
    // The examples are queued at once; then Ctrl-C, as the signal would deliver it (stderr is no
    // terminal here, so no progress bar asked for it).
    await new Promise((r) => setTimeout(r, 300));
    for (const listener of added) listener('SIGINT');
    expect(await run, io.err()).toBe(EXIT_OK);
    expect(JSON.parse(io.out())).toMatchObject({ examples: 0, errors: 0 });
    expect(process.listeners('SIGINT').filter((l) => !before.has(l))).toEqual([]);
    // A worker started now finds none of the run's jobs.
    const received = server.received;
    const late = await startWorkerProcess(server.url, lonely);
    workers.push(late);
    await new Promise((r) => setTimeout(r, 500));
    expect(await stopWorker(late)).toBe(0);
    // Jobs left behind would fail there (their run's data is gone) and be logged as failed.
    expect(late.log()).not.toContain('failed');
    expect(server.received).toBe(received);
  }, 60_000);
});

describe('eval and compile --redis errors', () => {
  let server: TestServer;
  let dir: string;
  let devset: string;
  const cwd = process.cwd();
  const savedEnv = process.env.DSPY_TS_REDIS_URL;

  beforeAll(async () => {
    server = await startTestServer({ lm: learner(), keepRequests: 0 });
    dir = await mkdtemp(join(tmpdir(), 'dspy-cli-queue-errors-'));
    devset = await writeRows(join(dir, 'dev.jsonl'), 'q', 0, 4);
    process.chdir(FIXTURES);
  });
  afterEach(() => {
    resetSettings();
    resetCacheConfig();
    if (savedEnv === undefined) delete process.env.DSPY_TS_REDIS_URL;
    else process.env.DSPY_TS_REDIS_URL = savedEnv;
  });
  afterAll(async () => {
    process.chdir(cwd);
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const evalArgs = (...extra: string[]) => [
    'eval',
    'qa-program.ts#QA',
    '--devset',
    devset,
    ...LM_FLAGS(server),
    ...extra,
  ];
  const compileArgs = (...extra: string[]) => [
    'compile',
    'qa-program.ts#QA',
    '--optimizer',
    'BootstrapRS',
    '--trainset',
    devset,
    '--out',
    join(dir, 'never.json'),
    ...LM_FLAGS(server),
    ...extra,
  ];

  it('says when no Redis answers, naming the URL without its password, before any LM call (exit 2)', async () => {
    const port = await deadPort();
    const url = `redis://user:hunter2@127.0.0.1:${port}`;
    const before = server.received;
    for (const args of [evalArgs('--redis', url), compileArgs('--connection', url)]) {
      const io = capture();
      expect(await runCli(args, io)).toBe(EXIT_USAGE);
      expect(io.err()).toContain(`no Redis answers at redis://user:***@127.0.0.1:${port}, from --redis`);
      expect(io.err()).toContain('ECONNREFUSED');
      expect(io.err()).toContain('How to fix: Start a Redis');
      expect(io.err()).not.toContain('hunter2');
    }
    process.env.DSPY_TS_REDIS_URL = `redis://127.0.0.1:${port}`;
    const fromEnv = capture();
    expect(await runCli(evalArgs(), fromEnv)).toBe(EXIT_USAGE);
    expect(fromEnv.err()).toContain(`no Redis answers at redis://127.0.0.1:${port}, from DSPY_TS_REDIS_URL`);
    expect(server.received).toBe(before);
    expect(await readFile(join(dir, 'never.json'), 'utf8').catch(() => 'missing')).toBe('missing');
  });

  it('refuses a URL that is not redis://, and queue flags without a Redis (exit 2)', async () => {
    const bad = capture();
    expect(await runCli(evalArgs('--redis', 'http://h:1'), bad)).toBe(EXIT_USAGE);
    expect(bad.err()).toContain("--redis must be a redis:// or rediss:// URL, not 'http://h:1'");

    process.env.DSPY_TS_REDIS_URL = 'localhost:6379';
    const env = capture();
    expect(await runCli(compileArgs(), env)).toBe(EXIT_USAGE);
    expect(env.err()).toContain(
      "DSPY_TS_REDIS_URL must be a redis:// or rediss:// URL, not 'localhost:6379'",
    );
    delete process.env.DSPY_TS_REDIS_URL;

    const orphan = capture();
    expect(await runCli(evalArgs('--queue', 'team'), orphan)).toBe(EXIT_USAGE);
    expect(orphan.err()).toContain('--queue applies to evaluations handed to workers, but no Redis is given');
    expect(orphan.err()).toContain('Pass --redis redis://host:6379 (or set DSPY_TS_REDIS_URL)');

    const perJob = capture();
    expect(await runCli(compileArgs('--redis', REDIS, '--examples-per-job', '0'), perJob)).toBe(EXIT_USAGE);
    expect(perJob.err()).toContain("--examples-per-job must be an integer of at least 1, not '0'");
  });

  it('names the command that needs @dspy-ts/distributed when it is missing', async () => {
    const missing = Object.assign(new Error("Cannot find package '@dspy-ts/distributed'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    await expect(
      loadDistributed(() => Promise.reject(missing), 'dspy-ts eval --redis'),
    ).rejects.toMatchObject({
      code: 'CLI_USAGE',
      message: expect.stringMatching(
        /^dspy-ts eval --redis needs the package @dspy-ts\/distributed[\s\S]*npm install @dspy-ts\/distributed/,
      ),
    });
  });
});

describe('the commands of docs/scaling.md', () => {
  const ROOT = resolve(HERE, '..', '..', '..', '..');
  const cwd = process.cwd();
  const saved = { redis: process.env.DSPY_TS_REDIS_URL, key: process.env.OPENAI_API_KEY };
  let server: TestServer;
  let project: string;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    server = await startTestServer({ lm: learner(), keepRequests: 0 });
    // A project of its own: src/qa.ts (the fixture QA), data/, and the workspace's packages.
    project = await mkdtemp(join(tmpdir(), 'dspy-cli-queue-doc-'));
    await mkdir(join(project, 'src'));
    await mkdir(join(project, 'data'));
    await mkdir(join(project, 'node_modules'));
    await symlink(
      join(HERE, '..', '..', 'node_modules', '@dspy-ts'),
      join(project, 'node_modules', '@dspy-ts'),
      'dir',
    );
    await copyFile(join(FIXTURES, 'qa-program.ts'), join(project, 'src', 'qa.ts'));
    await writeFile(join(project, 'package.json'), '{ "type": "module", "private": true }\n');
    await writeRows(join(project, 'data', 'dev.jsonl'), 'q', 0, 8);
    await writeRows(join(project, 'data', 'train.jsonl'), 'q', 30, 36);
  });
  afterEach(() => {
    resetSettings();
    resetCacheConfig();
  });
  afterAll(async () => {
    process.chdir(cwd);
    for (const [name, value] of [
      ['DSPY_TS_REDIS_URL', saved.redis],
      ['OPENAI_API_KEY', saved.key],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (worker?.child.exitCode === null) worker.child.kill('SIGKILL');
    await server.close();
    await rm(project, { recursive: true, force: true });
  });

  it('runs as shown, with the test Redis and the test model', async () => {
    const doc = await readFile(join(ROOT, 'docs', 'scaling.md'), 'utf8');
    const block = /<!-- run by packages\/cli\/test\/cli\/queue\.test\.ts -->\n```sh\n([\s\S]*?)```/.exec(
      doc,
    )?.[1];
    expect(block, 'the marked sh block of docs/scaling.md').toBeDefined();
    const lines = (block as string)
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .filter((line) => line !== '');
    expect(lines.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      'export DSPY_TS_REDIS_URL=redis://127.0.0.1:6379',
      'dspy-ts worker',
      'dspy-ts eval',
      'dspy-ts compile',
    ]);
    // The model of the guide, served by the test server (its prices still apply to --max-cost).
    const atServer = (args: string[]) => (args.includes('--lm') ? [...args, '--base-url', server.url] : args);
    delete process.env.OPENAI_API_KEY;
    process.chdir(project);
    const outputs: string[] = [];
    for (const line of lines) {
      if (line.startsWith('export ')) {
        const [name, value] = line.slice('export '.length).split('=', 2) as [string, string];
        // The guide's Redis is the test's.
        expect(value).toBe('redis://127.0.0.1:6379');
        process.env[name] = REDIS;
        continue;
      }
      const args = line.replace(/\s*&$/, '').split(/\s+/).slice(1);
      if (args[0] === 'worker') {
        worker = await spawnWorker(project, [...atServer(args), '--log-every', '0'], {
          DSPY_TS_REDIS_URL: REDIS,
        });
        continue;
      }
      const io = capture();
      expect(await runCli(atServer(args), io), `${line}\n${io.err()}`).toBe(EXIT_OK);
      expect(io.err()).toContain(`dspy-ts: evaluations go to 1 worker(s) of queue team-evals at ${REDIS}`);
      outputs.push(io.out());
    }
    expect(outputs[0]).toMatch(/^score: 50\.0% on 8 example\(s\), 0 error\(s\)/);
    const artifact = JSON.parse(await readFile(join(project, 'out', 'qa.json'), 'utf8'));
    expect(artifact).toMatchObject({ format: 'dspy-ts.artifact' });
    expect(await stopWorker(worker as WorkerProcess)).toBeGreaterThan(8);
  }, 90_000);
});
