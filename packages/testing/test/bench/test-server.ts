/**
 * Test server throughput: 3,000 sequential chat requests over one keep-alive connection, then
 * 3,000 with 16 in flight, answered by a ScriptedLM.
 * Run: node --conditions=@dspy-ts/source --import tsx packages/testing/test/bench/test-server.ts
 */
import { Agent, request } from 'node:http';
import { ScriptedLM, startTestServer } from '../../src/index.js';

const server = await startTestServer({ lm: new ScriptedLM(() => ({ answer: 'Paris' })) });
const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hello' }] });
const agent = new Agent({ keepAlive: true, maxSockets: 16 });
const one = () =>
  new Promise<void>((resolve, reject) => {
    const req = request(`${server.url}/chat/completions`, { method: 'POST', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.end(body);
  });
for (let i = 0; i < 200; i++) await one();
let start = performance.now();
for (let i = 0; i < 3000; i++) await one();
const sequential = 3000 / ((performance.now() - start) / 1000);
start = performance.now();
for (let batch = 0; batch < 3000 / 16; batch++) await Promise.all(Array.from({ length: 16 }, one));
const parallel = 3000 / ((performance.now() - start) / 1000);
console.log(
  `test server: ${Math.round(sequential)} requests/s sequential, ${Math.round(parallel)} requests/s with 16 in flight`,
);
agent.destroy();
await server.close();
