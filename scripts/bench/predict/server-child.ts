/**
 * Runs the OpenAI-protocol test server in its own process (as a remote provider would be) and
 * prints its URL on stdout. Argument: latency in ms. Stops when stdin closes, printing the CPU
 * time it spent serving (from the moment it listened) on stderr.
 */
import { ScriptedLM, startTestServer } from '../../../packages/testing/src/index.js';

const latencyMs = Number(process.argv[2] ?? 20);
// Nothing reads the recorded requests: keeping none spares memory and GC time over long runs.
const backend = new ScriptedLM(
  (req) => {
    const user = req.messages.at(-1)?.content ?? '';
    const n = /question #(\d+)/.exec(user)?.[1] ?? '0';
    return { answer: `answer ${n}` };
  },
  { keepRequests: 0 },
);
const server = await startTestServer({ lm: backend, latencyMs, keepRequests: 0 });
const cpuAtListen = process.cpuUsage();
process.stdout.write(`${server.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  const cpu = process.cpuUsage(cpuAtListen);
  const ms = (cpu.user + cpu.system) / 1000;
  const count = server.received;
  const each = count > 0 ? (ms / count).toFixed(3) : '-';
  process.stderr.write(`server cpu ${ms.toFixed(0)} ms for ${count} requests (${each} ms per request)\n`);
  void server.close().then(() => process.exit(0));
});
