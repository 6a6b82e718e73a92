// Child process of start.ts: the test server on its own CPU, so the benchmark measures the client.
import { ScriptedLM, startTestServer } from '../../../packages/testing/src/index.js';

const latencyMs = Number(process.argv[2] ?? 0);
const lm = new ScriptedLM(() => ({ answer: 'Paris' }));
const server = await startTestServer({ lm, latencyMs, keepRequests: 0 });
process.send?.({ url: server.url });
process.on('message', async () => {
  await server.close();
  process.exit(0);
});
