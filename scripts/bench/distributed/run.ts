/**
 * Distributed evaluation benchmark: N examples at a simulated model latency, evaluated through
 * `QueueRunner` on 1, 2 and 4 worker processes (each with `concurrency` jobs at once), against a
 * real `redis-server` started for the run. Printed per worker count: wall, ideal
 * (N × latency ÷ (workers × concurrency)) and wall ÷ ideal (target ≤ 1.3 at 4 workers).
 * The model is the test server in its own process, answering after `--latency` ms.
 *
 * Run: node --conditions=@dspy-ts/source --import tsx scripts/bench/distributed/run.ts \
 *        [--examples=2000] [--latency=200] [--concurrency=16] [--workers=1,2,4]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Example,
  evaluate,
  exactMatch,
  silentLogger,
  withSettings,
} from '../../../packages/core/src/index.js';
import { QueueRunner } from '../../../packages/distributed/src/index.js';
import { startRedisServer } from '../../../packages/testing/src/index.js';
import { BenchQA } from './program.js';

const argv = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k ?? '', v ?? 'true'] as const;
  }),
);
const EXAMPLES = Number(argv.get('examples') ?? 2000);
const LATENCY = Number(argv.get('latency') ?? 200);
const CONCURRENCY = Number(argv.get('concurrency') ?? 16);
const WORKERS = (argv.get('workers') ?? '1,2,4').split(',').map(Number);

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..', '..');
const NODE = ['--conditions=@dspy-ts/source', '--import', 'tsx'];

/** Starts a child that prints a first line when ready; resolves with it and that line. */
function start(args: string[]): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, [...NODE, ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((ready, fail) => {
    child.stdout?.once('data', (chunk: Buffer) => ready({ child, line: chunk.toString().trim() }));
    child.once('exit', (code) => fail(new Error(`${args[0]} exited with ${code}`)));
  });
}

const devset = Array.from({ length: EXAMPLES }, (_, i) =>
  new Example({ question: `question #${i}`, answer: `answer ${i}` }).withInputs('question'),
);
const redis = await startRedisServer();
const server = await start([join('scripts', 'bench', 'predict', 'server-child.ts'), String(LATENCY)]);
const url = server.line;
console.log(`${EXAMPLES} examples, ${LATENCY} ms latency, concurrency ${CONCURRENCY} per worker`);
console.log('workers | wall (s) | ideal (s) | wall ÷ ideal | score');
try {
  for (const count of WORKERS) {
    const queue = `bench-${randomUUID()}`;
    const args = [
      join('scripts', 'bench', 'distributed', 'worker.ts'),
      redis.url,
      url,
      queue,
      String(CONCURRENCY),
    ];
    const workers = await Promise.all(Array.from({ length: count }, () => start(args)));
    const runner = new QueueRunner({
      connection: redis.url,
      queue,
      program: 'scripts/bench/distributed/program.ts#BenchQA',
    });
    const started = performance.now();
    const report = await withSettings({ logger: silentLogger }, () =>
      evaluate(new BenchQA(), devset, exactMatch, { runner, progress: false }),
    );
    const wall = (performance.now() - started) / 1000;
    const ideal = (EXAMPLES * LATENCY) / (count * CONCURRENCY) / 1000;
    console.log(
      `${count} | ${wall.toFixed(2)} | ${ideal.toFixed(2)} | ${(wall / ideal).toFixed(2)} | ${report.score.toFixed(1)}`,
    );
    await runner.close();
    for (const { child } of workers) child.kill('SIGTERM');
  }
} finally {
  server.child.stdin?.end();
  await redis.stop();
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on this machine's cores`,
  );
}
