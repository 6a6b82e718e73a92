/**
 * One worker process of the distributed benchmark. Arguments: Redis URL, model server URL,
 * queue, concurrency. Prints `ready` once it takes jobs; on SIGUSR2 it prints `cpu <ms> <jobs>`
 * (CPU time spent since it was ready, jobs it ran); on SIGTERM it stops, prints the same and exits.
 */
import { configure, LM, silentLogger } from '../../../packages/core/src/index.js';
import { startWorker } from '../../../packages/distributed/src/index.js';
import { BenchQA } from './program.js';

const [redis, server, queue, concurrency] = process.argv.slice(2) as [string, string, string, string];
const threads = Number(concurrency);
configure({
  logger: silentLogger,
  lm: new LM('openai/bench-model', {
    baseURL: server,
    apiKey: 'bench',
    cache: false,
    maxConcurrency: threads,
  }),
});
const worker = await startWorker({
  connection: redis,
  programs: { 'scripts/bench/distributed/program.ts#BenchQA': BenchQA },
  queue,
  concurrency: threads,
});
const cpuAtReady = process.cpuUsage();
const report = (then?: () => void) => {
  const cpu = process.cpuUsage(cpuAtReady);
  process.stdout.write(`cpu ${((cpu.user + cpu.system) / 1000).toFixed(1)} ${worker.processed}\n`, then);
};
process.on('SIGUSR2', () => report());
process.on('SIGTERM', () => {
  void worker.close().then(() => report(() => process.exit(0)));
});
process.stdout.write('ready\n');
