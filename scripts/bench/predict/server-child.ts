/**
 * Runs the OpenAI-protocol test server in its own process (as a remote provider would be) and
 * prints its URL on stdout. Argument: latency in ms. Stops when stdin closes.
 */
import { ScriptedLM, startTestServer } from '../../../packages/testing/src/index.js';

const latencyMs = Number(process.argv[2] ?? 20);
const backend = new ScriptedLM((req) => {
  const user = req.messages.at(-1)?.content ?? '';
  const n = /question #(\d+)/.exec(user)?.[1] ?? '0';
  return { answer: `answer ${n}` };
});
const server = await startTestServer({ lm: backend, latencyMs });
process.stdout.write(`${server.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void server.close().then(() => process.exit(0));
});
