/**
 * Distributed evaluation benchmark: N examples at a simulated model latency, evaluated through
 * `QueueRunner` on 1, 2 and 4 worker processes (each running `concurrency` examples at once), with
 * 1 and 4 examples per job, against a real `redis-server` started for the run. Printed per
 * configuration: wall, ideal (N × latency ÷ (workers × concurrency)) and wall ÷ ideal (target
 * ≤ 1.3 at 4 workers), and the CPU time spent per example during the measured run by the workers,
 * by the evaluating process and by redis-server: a figure that depends far less on how loaded
 * the machine is than wall ÷ ideal does. The same examples evaluated locally in one process
 * (no queue) are the floor printed first.
 * The model is the test server in its own process, answering after `--latency` ms.
 *
 * Each measured run follows a warm-up run of `--warmup` examples per worker on the same workers
 * (module loading and code compilation of a fresh process are not per-example costs).
 *
 * Run: node --conditions=@dspy-ts/source --import tsx scripts/bench/distributed/run.ts \
 *        [--examples=2000] [--latency=200] [--concurrency=16] [--workers=1,2,4] [--warmup=100] \
 *        [--per-job=1,4]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Example,
  evaluate,
  exactMatch,
  LM,
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
/** Examples per job (QueueRunner's examplesPerJob), each value measured in turn. */
const PER_JOB = (argv.get('per-job') ?? '1,4').split(',').map(Number);
/** Examples per worker of the warm-up run before each measured one. */
const WARMUP = Number(argv.get('warmup') ?? 100);

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..', '..');
const NODE = ['--conditions=@dspy-ts/source', '--import', 'tsx'];

interface Child {
  readonly child: ChildProcess;
  /** The first line it printed. */
  readonly line: string;
  /** Every line it printed. */
  readonly lines: string[];
}

/** Starts a child that prints a first line when ready; resolves with it and that line. */
function start(args: string[]): Promise<Child> {
  const child = spawn(process.execPath, [...NODE, ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let rest = '';
  return new Promise((ready, fail) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = rest + chunk.toString();
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts.map((l) => l.trim()).filter(Boolean));
      if (lines.length > 0) ready({ child, line: lines[0] as string, lines });
    });
    child.once('exit', (code) => fail(new Error(`${args[0]} exited with ${code}`)));
  });
}

/** The CPU ms a worker reports having spent since it was ready (SIGUSR2 asks; SIGTERM also stops it). */
function cpuOfWorker({ child, lines }: Child, signal: 'SIGUSR2' | 'SIGTERM'): Promise<number> {
  const seen = lines.filter((l) => l.startsWith('cpu ')).length;
  return new Promise((done) => {
    const poll = setInterval(() => {
      const reports = lines.filter((l) => l.startsWith('cpu '));
      if (reports.length > seen) {
        clearInterval(poll);
        done(Number(reports.at(-1)?.split(' ')[1] ?? Number.NaN));
      }
    }, 5);
    child.kill(signal);
  });
}

/** The CPU ms all `workers` have spent since they were ready. */
async function cpuOfWorkers(workers: readonly Child[], signal: 'SIGUSR2' | 'SIGTERM'): Promise<number> {
  return (await Promise.all(workers.map((w) => cpuOfWorker(w, signal)))).reduce((a, b) => a + b, 0);
}

/** CPU ms a process (not this one) has used, from /proc (Linux; clock ticks of 10 ms). */
function cpuOfPid(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** CPU ms this process has used since `from`. */
function ownCpu(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
}

const devset = Array.from({ length: EXAMPLES }, (_, i) =>
  new Example({ question: `question #${i}`, answer: `answer ${i}` }).withInputs('question'),
);
const redis = await startRedisServer();
const server = await start([join('scripts', 'bench', 'predict', 'server-child.ts'), String(LATENCY)]);
const url = server.line;
console.log(`${EXAMPLES} examples, ${LATENCY} ms latency, concurrency ${CONCURRENCY} per worker`);
try {
  // The floor: the same examples evaluated in this one process, no queue (program, LM client,
  // metric), after a warm-up run.
  const localLM = new LM('openai/bench-model', { baseURL: url, apiKey: 'bench', cache: false });
  await withSettings({ lm: localLM, logger: silentLogger }, () =>
    evaluate(new BenchQA(), devset.slice(0, WARMUP), exactMatch, {
      progress: false,
      concurrency: 4 * CONCURRENCY,
    }),
  );
  const localCpu = process.cpuUsage();
  const localReport = await withSettings({ lm: localLM, logger: silentLogger }, () =>
    evaluate(new BenchQA(), devset, exactMatch, { progress: false, concurrency: 4 * CONCURRENCY }),
  );
  console.log(
    `local evaluate in one process (concurrency ${4 * CONCURRENCY}): ${(ownCpu(localCpu) / EXAMPLES).toFixed(3)} CPU ms per example, score ${localReport.score.toFixed(1)}`,
  );
  console.log(
    'examples per job | workers | wall (s) | ideal (s) | wall ÷ ideal | score | CPU ms per example: workers | evaluating process | redis-server | total',
  );
  for (const perJob of PER_JOB)
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
        examplesPerJob: perJob,
      });
      // A warm-up run on the same workers first (each worker's first jobs load modules and
      // compile code): the figures are those of workers in their steady state.
      await withSettings({ logger: silentLogger }, () =>
        evaluate(new BenchQA(), devset.slice(0, WARMUP * count), exactMatch, { runner, progress: false }),
      );
      const workerCpu = await cpuOfWorkers(workers, 'SIGUSR2');
      const redisCpu = cpuOfPid(redis.pid);
      const cpu = process.cpuUsage();
      const started = performance.now();
      const report = await withSettings({ logger: silentLogger }, () =>
        evaluate(new BenchQA(), devset, exactMatch, { runner, progress: false }),
      );
      const wall = (performance.now() - started) / 1000;
      const evaluatorMs = ownCpu(cpu);
      const redisMs = cpuOfPid(redis.pid) - redisCpu;
      const workerMs = (await cpuOfWorkers(workers, 'SIGUSR2')) - workerCpu;
      await runner.close();
      await cpuOfWorkers(workers, 'SIGTERM');
      const ideal = (EXAMPLES * LATENCY) / (count * CONCURRENCY) / 1000;
      const each = (ms: number) => (ms / EXAMPLES).toFixed(3);
      const row = `${perJob} | ${count} | ${wall.toFixed(2)} | ${ideal.toFixed(2)} | ${(wall / ideal).toFixed(2)} | ${report.score.toFixed(1)} | ${each(workerMs)} | ${each(evaluatorMs)} | ${each(redisMs)} | ${each(workerMs + evaluatorMs + redisMs)}`;
      console.log(row);
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
