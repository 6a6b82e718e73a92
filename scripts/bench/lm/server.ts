// Child process of run.ts: the test server on its own CPU, so the benchmark measures the client.
import { ScriptedLM, startTestServer } from '../../../packages/testing/src/index.js';

const latencyMs = Number(process.argv[2] ?? 0);
const server = await startTestServer({ lm: new ScriptedLM(() => ({ answer: 'Paris' })), latencyMs });
process.send?.({ url: server.url });
process.on('message', async () => {
  await server.close();
  process.exit(0);
});
